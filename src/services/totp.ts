// TOTP second factors (RFC 6238, 30-second codes of six digits) for users whose roles need one.
import * as OTPAuth from 'otpauth';

export function totpOf(email: string, secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'JCM platform',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

/**
 * The time step of a code the secret accepts at `timestamp` (the step before and after included, for
 * clocks that differ), or null for a wrong code. A login spends the step: see core/accounts/decide.ts.
 */
export function totpStep(
  email: string,
  secret: string,
  code: string,
  timestamp: number,
): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const totp = totpOf(email, secret);
  const delta = totp.validate({ token: code, timestamp, window: 1 });
  return delta === null ? null : totp.counter({ timestamp }) + delta;
}

/** A new secret, base32. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The current TOTP code of a secret (for tests and the CLI's enrolment check). */
export function totpCode(email: string, secretOrUri: string, timestamp: number): string {
  const secret = secretOrUri.startsWith('otpauth://')
    ? (new URL(secretOrUri).searchParams.get('secret') ?? '')
    : secretOrUri;
  return totpOf(email, secret).generate({ timestamp });
}
