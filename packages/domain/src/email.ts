// O2's accepted e-mail shape: letters of either case, digits, `_`, `+` and `-` in the local part
// (dots inside it), dot- or hyphen-separated domain labels, and a top-level domain of 2–63
// letters (the DNS label limit), so `.photography` or `.international` addresses are accepted.
const EMAIL =
  /^([a-zA-Z0-9_+-]([a-zA-Z0-9_+.-]*[a-zA-Z0-9_+-])?)@([a-zA-Z0-9]+([-.][a-zA-Z0-9]+)*\.[a-zA-Z]{2,63})$/;

/** O2 stores e-mails lower-cased and compares them that way. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return EMAIL.test(email.trim());
}
