/**
 * O2's password rule for users it creates (root at bootstrap, users through the API): at least
 * 8 characters with a lower-case letter, an upper-case letter, a digit and a special character.
 * Returns every rule the password breaks, so the caller can say all of them at once.
 */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push('at least 8 characters');
  if (!/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (!/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (!/[0-9]/.test(password)) problems.push('a digit');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('a special character');
  return problems;
}

export function describePasswordProblems(problems: readonly string[]): string {
  return `Password must contain ${problems.join(', ')}`;
}
