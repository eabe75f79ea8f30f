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
