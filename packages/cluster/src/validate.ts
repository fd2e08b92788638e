import { AppError } from '@o2/errors';

const TOPIC = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const DURABLE = /^[A-Za-z0-9_-]+$/;

export function validateTopic(topic: string): void {
  if (!TOPIC.test(topic)) {
    throw AppError.invalidArgument(
      `invalid event topic "${topic}": use dot-separated words of letters, digits, _ and -`,
    );
  }
}

export function validateDurableName(name: string): void {
  if (!DURABLE.test(name)) {
    throw AppError.invalidArgument(
      `invalid durable consumer name "${name}": use letters, digits, _ and -`,
    );
  }
}

export function validateNonEmpty(what: string, value: string): void {
  if (value === '') throw AppError.invalidArgument(`${what} must not be empty`);
}

/** JSON text of an event payload; both backends round-trip through it so they behave alike. */
export function encodePayload(payload: unknown): string {
  let text: string | undefined;
  try {
    // Typed as string, but undefined for `undefined`, functions and symbols.
    text = JSON.stringify(payload);
  } catch (error) {
    throw AppError.invalidArgument('event payload is not JSON-serialisable', { cause: error });
  }
  if (text === undefined) throw AppError.invalidArgument('event payload is not JSON-serialisable');
  return text;
}
