import type { ClusterLogger, EventHandler, Subscription } from './cluster.js';
import { redeliveryDelayMs, sleep } from './background.js';

interface Delivery {
  topic: string;
  /** JSON text: every delivery parses its own copy, as it would off the wire. */
  text: string;
}

/**
 * In-process event transport shared by the `MemoryCluster`s of one hub. Durable queues live
 * here, not in a subscriber, so they keep collecting while nobody is subscribed.
 */
export class MemoryEventBus {
  readonly #live = new Map<string, Set<LiveSubscriber>>();
  readonly #durables = new Map<string, DurableQueue>();

  publish(topic: string, text: string): void {
    const delivery = { topic, text };
    for (const subscriber of this.#live.get(topic) ?? []) subscriber.deliver(delivery);
    for (const queue of this.#durables.values()) if (queue.topic === topic) queue.push(delivery);
  }

  subscribe(
    topic: string,
    handler: EventHandler,
    durable: string | undefined,
    logger: ClusterLogger | undefined,
  ): Subscription {
    if (durable === undefined) {
      const subscribers = this.#live.get(topic) ?? new Set<LiveSubscriber>();
      this.#live.set(topic, subscribers);
      const subscriber = new LiveSubscriber(handler, logger, () => subscribers.delete(subscriber));
      subscribers.add(subscriber);
      return subscriber;
    }
    const key = `${topic}\u0000${durable}`;
    let queue = this.#durables.get(key);
    if (queue === undefined) {
      queue = new DurableQueue(topic, durable);
      this.#durables.set(key, queue);
    }
    return queue.attach(handler, logger);
  }
}

function decode(delivery: Delivery): { topic: string; payload: unknown } {
  return { topic: delivery.topic, payload: JSON.parse(delivery.text) as unknown };
}

class LiveSubscriber implements Subscription {
  readonly #handler: EventHandler;
  readonly #logger: ClusterLogger | undefined;
  readonly #detach: () => void;
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(handler: EventHandler, logger: ClusterLogger | undefined, detach: () => void) {
    this.#handler = handler;
    this.#logger = logger;
    this.#detach = detach;
  }

  deliver(delivery: Delivery): void {
    this.#chain = this.#chain
      .then(async () => {
        if (!this.#stopped) await this.#handler(decode(delivery));
      })
      .catch((err: unknown) => {
        this.#logger?.warn({ err, topic: delivery.topic }, 'event handler failed');
      });
  }

  async unsubscribe(): Promise<void> {
    this.#stopped = true;
    this.#detach();
    await this.#chain;
  }
}

interface DurableConsumer {
  handler: EventHandler;
  logger: ClusterLogger | undefined;
  inFlight: Promise<unknown> | undefined;
}

class DurableQueue {
  readonly topic: string;
  readonly name: string;
  readonly #pending: Delivery[] = [];
  readonly #consumers: DurableConsumer[] = [];
  #pumping = false;

  constructor(topic: string, name: string) {
    this.topic = topic;
    this.name = name;
  }

  push(delivery: Delivery): void {
    this.#pending.push(delivery);
    this.#pump();
  }

  attach(handler: EventHandler, logger: ClusterLogger | undefined): Subscription {
    const consumer: DurableConsumer = { handler, logger, inFlight: undefined };
    this.#consumers.push(consumer);
    this.#pump();
    let stopped: Promise<void> | undefined;
    return {
      unsubscribe: () =>
        (stopped ??= (async () => {
          const index = this.#consumers.indexOf(consumer);
          if (index >= 0) this.#consumers.splice(index, 1);
          await consumer.inFlight?.catch(() => undefined);
        })()),
    };
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void this.#run();
  }

  /** One event at a time, head of the queue first: a failing event blocks the ones after it. */
  async #run(): Promise<void> {
    let attempt = 0;
    for (;;) {
      const delivery = this.#pending[0];
      const consumer = this.#consumers[0];
      if (delivery === undefined || consumer === undefined) {
        // Cleared in the same tick as the check, so a concurrent push always restarts the pump.
        this.#pumping = false;
        return;
      }
      const call = (async () => consumer.handler(decode(delivery)))();
      consumer.inFlight = call;
      try {
        await call;
        this.#pending.shift();
        attempt = 0;
        // Round-robin between subscribers sharing the durable name.
        if (this.#consumers[0] === consumer) this.#consumers.push(...this.#consumers.splice(0, 1));
      } catch (err) {
        attempt += 1;
        consumer.logger?.warn(
          { err, topic: this.topic, durable: this.name, attempt },
          'durable event handler failed; redelivering',
        );
        await sleep(redeliveryDelayMs(attempt));
      } finally {
        consumer.inFlight = undefined;
      }
    }
  }
}
