// O2's accepted e-mail shape (lower-case local part and domain, 2–6 letter TLD).
const EMAIL = /^([a-z0-9_+]([a-z0-9_+.-]*[a-z0-9_+])?)@([a-z0-9]+([-.][a-z0-9]+)*\.[a-z]{2,6})$/;

/** O2 stores e-mails lower-cased and compares them that way. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return EMAIL.test(normalizeEmail(email));
}
