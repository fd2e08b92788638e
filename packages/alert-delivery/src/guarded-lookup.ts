import { lookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { checkAddresses } from '@o2/alerts';
import type { SsrfPolicy } from '@o2/alerts';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses addresses the SSRF policy does not allow. The check
 * runs on the very addresses the socket connects to, so a name that resolves to a public address
 * when saved and to an inside one later (DNS rebinding) is still refused at send time.
 */
export function guardedLookup(policy: SsrfPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    lookup(hostname, { all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      try {
        checkAddresses(
          hostname,
          addresses.map((a) => a.address),
          policy,
        );
      } catch (refused) {
        callback(refused as NodeJS.ErrnoException, []);
        return;
      }
      if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
  };
}

/**
 * Resolves the host of a destination now and refuses it when the policy would (save-time check).
 * A name that does not resolve yet is accepted: the send-time lookup checks it again.
 */
export async function checkHost(hostname: string, policy: SsrfPolicy): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    checkAddresses(bare, [bare], policy);
    return;
  }
  const addresses = await new Promise<string[]>((resolve) => {
    lookup(bare, { all: true }, (error, found) => {
      resolve(error === null ? found.map((a) => a.address) : []);
    });
  });
  if (addresses.length > 0) checkAddresses(bare, addresses, policy);
}

/** The policy from the two settings. */
export function ssrfPolicy(config: {
  ZO_SSRF_ALLOW_LOOPBACK: boolean;
  ZO_SSRF_ALLOWED_HOSTS: string;
}): SsrfPolicy {
  return {
    allowLoopback: config.ZO_SSRF_ALLOW_LOOPBACK,
    allowList: config.ZO_SSRF_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
  };
}
