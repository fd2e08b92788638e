import { AppError } from '@o2/errors';
import { renderTemplate } from '@o2/alerts';
import type { DestinationDefinition, SsrfPolicy, TemplateDefinition } from '@o2/alerts';
import { sendHttp } from './http-send.js';
import type { HttpSent } from './http-send.js';
import { sendMail } from './smtp-send.js';
import type { SmtpConfig } from './smtp-send.js';

export interface Notification {
  destination: DestinationDefinition;
  /** The destination's template (or the alert's, which wins when set). */
  template: TemplateDefinition;
  values: Readonly<Record<string, unknown>>;
}

export interface DeliveryOptions {
  policy: SsrfPolicy;
  timeoutMs: number;
  /** The SMTP relay for e-mail destinations; absent or disabled → e-mail sends fail clearly. */
  smtp?: SmtpConfig;
}

/** What a notification would send: the rendered body (and title, for e-mail). */
export function renderNotification(n: Notification): { title: string; body: string } {
  return {
    title: renderTemplate(n.template.title, n.values, false),
    body: renderTemplate(n.template.body, n.values),
  };
}

/**
 * Sends one notification. HTTP destinations get the rendered template as the request body
 * (GET sends none); header values may use placeholders too. E-mail destinations go through the
 * configured SMTP relay (`ZO_SMTP_*`) with the template's title as the subject.
 */
export async function deliver(n: Notification, options: DeliveryOptions): Promise<HttpSent> {
  const d = n.destination;
  const { title, body } = renderNotification(n);
  if (d.type === 'email') {
    if (options.smtp === undefined)
      throw new AppError('FAILED_PRECONDITION', 'SMTP is not enabled (ZO_SMTP_ENABLED)');
    await sendMail(options.smtp, { to: d.emails, subject: title, html: body }, options.timeoutMs);
    return { status: 250, body: 'sent' };
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(d.headers))
    headers[key] = renderTemplate(value, n.values, false);
  return sendHttp({
    url: d.url,
    method: d.method,
    headers,
    body,
    skipTlsVerify: d.skip_tls_verify,
    timeoutMs: options.timeoutMs,
    policy: options.policy,
  });
}
