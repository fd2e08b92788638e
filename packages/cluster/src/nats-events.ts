import { createHash } from 'node:crypto';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { ConsumerConfig, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import type {
  ClusterEvent,
  ClusterLogger,
  EventHandler,
  Events,
  SubscribeOptions,
  Subscription,
} from './cluster.js';
import { redeliveryDelayMs, sleep } from './background.js';
import { unavailableOnFailure } from './nats-errors.js';
import { encodePayload, validateDurableName, validateTopic } from './validate.js';

/**
 * How long an event handed to a durable subscriber may stay unacknowledged before another gets
 * it; handlers that run longer are kept alive with `working()`. Also how long a crashed
 * subscriber holds up its consumer.
 */
const ACK_WAIT_MS = 10_000;
/** Also the longest an unsubscribe waits for the fetch in progress. */
const FETCH_EXPIRES_MS = 1_000;

export interface NatsEventsOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The `{prefix}events` stream, capturing subjects `{prefix}events.>`. */
  stream: string;
  logger: ClusterLogger | undefined;
}

/**
 * Events on one JetStream stream. Live subscribers are plain core-NATS subscriptions on the
 * stream's subjects (no server-side state per subscriber); durable subscribers are durable pull
 * consumers with one unacknowledged message at a time, which is what keeps them in order across
 * redeliveries.
 */
export class NatsEvents implements Events {
  readonly #options: NatsEventsOptions;
  readonly #subscriptions = new Set<Subscription>();

  constructor(options: NatsEventsOptions) {
    this.#options = options;
  }

  publish(topic: string, payload: unknown): Promise<void> {
    return unavailableOnFailure('event publish', async () => {
      validateTopic(topic);
      await this.#options.js.publish(this.#subject(topic), encodePayload(payload));
    });
  }

  subscribe(
    topic: string,
    handler: EventHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    return unavailableOnFailure('event subscribe', async () => {
      validateTopic(topic);
      const { durable } = options;
      if (durable !== undefined) validateDurableName(durable);
      const inner =
        durable === undefined
          ? await this.#subscribeLive(topic, handler)
          : await this.#subscribeDurable(topic, durable, handler);
      let stopped: Promise<void> | undefined;
      const subscription: Subscription = {
        unsubscribe: () =>
          (stopped ??= (async () => {
            this.#subscriptions.delete(subscription);
            await inner.unsubscribe();
          })()),
      };
      this.#subscriptions.add(subscription);
      return subscription;
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.unsubscribe()));
  }

  #subject(topic: string): string {
    return `${this.#options.stream}.${topic}`;
  }

  async #subscribeLive(topic: string, handler: EventHandler): Promise<Subscription> {
    const { nc, logger } = this.#options;
    const sub = nc.subscribe(this.#subject(topic));
    let stopped = false;
    const loop = (async () => {
      for await (const message of sub) {
        if (stopped) break;
        try {
          await handler({ topic, payload: JSON.parse(message.string()) as unknown });
        } catch (err) {
          logger?.warn({ err, topic }, 'event handler failed');
        }
      }
    })();
    // The subscription must be known to the server before we report it active.
    await nc.flush();
    return {
      unsubscribe: async () => {
        stopped = true;
        sub.unsubscribe();
        await loop;
      },
    };
  }

  async #subscribeDurable(
    topic: string,
    durable: string,
    handler: EventHandler,
  ): Promise<Subscription> {
    const { js, stream, logger } = this.#options;
    const name = await this.#ensureConsumer(topic, durable);
    const consumer = await js.consumers.get(stream, name);
    let stopped = false;
    // Short fetches that always run to their end rather than one long-lived pull: a pull request
    // abandoned on unsubscribe could still be handed an event, which would then sit unacked
    // (blocking the consumer) until ack_wait ran out.
    const loop = (async () => {
      while (!stopped) {
        try {
          const batch = await consumer.fetch({ max_messages: 1, expires: FETCH_EXPIRES_MS });
          for await (const message of batch) {
            if (stopped) message.nak();
            else await this.#handleDurable(topic, durable, message, handler);
          }
        } catch (err) {
          logger?.warn({ err, topic, durable }, 'durable consumer fetch failed; retrying');
          if (!stopped) await sleep(FETCH_EXPIRES_MS);
        }
      }
    })();
    return {
      unsubscribe: async () => {
        stopped = true;
        await loop;
      },
    };
  }

  async #handleDurable(
    topic: string,
    durable: string,
    message: JsMsg,
    handler: EventHandler,
  ): Promise<void> {
    const { logger } = this.#options;
    let event: ClusterEvent;
    try {
      event = { topic, payload: JSON.parse(message.string()) as unknown };
    } catch (err) {
      // Not ours and never will parse: drop it rather than block the queue forever.
      logger?.warn({ err, topic, durable, seq: message.seq }, 'dropping undecodable event');
      message.term();
      return;
    }
    const keepAlive = setInterval(() => message.working(), ACK_WAIT_MS / 3);
    try {
      await handler(event);
    } catch (err) {
      const attempt = message.info.deliveryCount;
      logger?.warn({ err, topic, durable, attempt }, 'durable event handler failed; redelivering');
      message.nak(redeliveryDelayMs(attempt));
      return;
    } finally {
      clearInterval(keepAlive);
    }
    try {
      await message.ackAck();
    } catch (err) {
      logger?.warn(
        { err, topic, durable, seq: message.seq },
        'event ack failed; it will be redelivered',
      );
    }
  }

  /**
   * The consumer is named after the durable name and a hash of the topic, so one name can be
   * used on several topics; its position survives every subscriber leaving.
   */
  async #ensureConsumer(topic: string, durable: string): Promise<string> {
    const { jsm, stream } = this.#options;
    const hash = createHash('sha256').update(topic).digest('hex').slice(0, 12);
    const name = `${durable}_${hash}`;
    try {
      await jsm.consumers.info(stream, name);
      return name;
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound))
        throw err;
    }
    const config: Partial<ConsumerConfig> = {
      durable_name: name,
      description: `durable "${durable}" of ${topic}`,
      filter_subject: this.#subject(topic),
      deliver_policy: DeliverPolicy.New,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ACK_WAIT_MS),
      max_ack_pending: 1,
    };
    // Creating an identical durable is idempotent, so a concurrent creator is harmless.
    await jsm.consumers.add(stream, config);
    return name;
  }
}
