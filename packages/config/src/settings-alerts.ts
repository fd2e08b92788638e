import { bool, int, oneOf, str } from './setting-types.js';

/** The alerts section of the settings (kept apart so `settings-schema.ts` stays one screenful). */
export const ALERT_SETTINGS = {
  title: 'Alerts',
  shape: {
    ZO_ALERT_SCHEDULE_INTERVAL: int(
      10,
      'Seconds between the alertmanager leader looking for due alerts.',
      { min: 1 },
    ),
    ZO_ALERT_MINUTE_SECONDS: int(
      60,
      'Seconds in one alert minute (period, frequency, silence). Keep 60; tests lower it to run minute-based alerts in seconds.',
      { min: 1 },
    ),
    ZO_SSRF_ALLOW_LOOPBACK: bool(
      false,
      'Let notification destinations reach loopback addresses (127.0.0.0/8, ::1).',
    ),
    ZO_SSRF_ALLOWED_HOSTS: str(
      '',
      'Comma-separated host names, addresses or CIDR ranges destinations may reach even when private or link-local.',
    ),
    ZO_SMTP_ENABLED: bool(false, 'Send e-mail destinations through the SMTP relay below.'),
    ZO_SMTP_HOST: str('localhost', 'SMTP relay host.'),
    ZO_SMTP_PORT: int(25, 'SMTP relay port.', { min: 1, max: 65535 }),
    ZO_SMTP_USER_NAME: str('', 'SMTP user (AUTH PLAIN when set).'),
    ZO_SMTP_PASSWORD: str('', 'SMTP password.', { secret: true }),
    ZO_SMTP_FROM_EMAIL: str('', 'Sender address of alert e-mails.'),
    ZO_SMTP_REPLY_TO: str('', 'Reply-To address of alert e-mails (none when empty).'),
    ZO_SMTP_ENCRYPTION: oneOf(
      ['', 'starttls', 'ssltls'],
      '',
      'SMTP encryption: none, STARTTLS, or TLS from the first byte.',
    ),
  },
} as const;
