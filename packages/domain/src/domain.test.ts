import { describe, expect, it } from 'vitest';
import {
  canManageUsers,
  isValidEmail,
  isValidOrgIdentifier,
  orgIdentifierFromName,
  outranks,
  parseRole,
  passwordProblems,
} from './index.js';

describe('password policy', () => {
  it('accepts the documented trial password', () => {
    expect(passwordProblems('Complexpass#123')).toEqual([]);
  });
  it('names every rule a weak password breaks', () => {
    expect(passwordProblems('abc')).toEqual([
      'at least 8 characters',
      'an upper-case letter',
      'a digit',
      'a special character',
    ]);
  });
});

describe('identity rules', () => {
  it('accepts O2-shaped e-mails, case-insensitively', () => {
    expect(isValidEmail('root@example.com')).toBe(true);
    expect(isValidEmail('Root@Example.com')).toBe(true);
    expect(isValidEmail('not-an-email')).toBe(false);
    expect(isValidEmail('a@b')).toBe(false);
  });
  it("follows O2's e-mail rule: 2–63 letter TLDs, upper case and `-` in the local part", () => {
    expect(isValidEmail('ops@studio.photography')).toBe(true);
    expect(isValidEmail(`x@example.${'a'.repeat(63)}`)).toBe(true);
    expect(isValidEmail(`x@example.${'a'.repeat(64)}`)).toBe(false);
    expect(isValidEmail('x@example.c')).toBe(false);
    expect(isValidEmail('John-Smith@Example.COM')).toBe(true);
    expect(isValidEmail('-ops-@example.com')).toBe(true);
    expect(isValidEmail('first.last@example.com')).toBe(true);
    expect(isValidEmail('.dot@example.com')).toBe(false);
    expect(isValidEmail('a b@example.com')).toBe(false);
    expect(isValidEmail('a@-example.com')).toBe(false);
    expect(isValidEmail('a@example.c0m')).toBe(false);
  });
  it('orders roles root > admin > user', () => {
    expect(outranks('root', 'admin')).toBe(true);
    expect(outranks('admin', 'root')).toBe(false);
    expect(canManageUsers('admin')).toBe(true);
    expect(canManageUsers('user')).toBe(false);
    expect(parseRole('member')).toBe('user');
    expect(parseRole('superuser')).toBeUndefined();
  });
  it('derives URL-safe org identifiers', () => {
    expect(orgIdentifierFromName('My Team')).toBe('my_team');
    expect(isValidOrgIdentifier('my_team')).toBe(true);
    expect(isValidOrgIdentifier('../etc')).toBe(false);
  });
});
