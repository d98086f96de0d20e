const MOBILE_IN_TEXT = /(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g;

/** 13812345678 -> 138****5678. Anything that is not an 11-digit mobile is masked whole. */
export function maskPhone(phone: string): string {
  const digits = normalizePhone(phone);
  return /^1\d{10}$/.test(digits) ? `${digits.slice(0, 3)}****${digits.slice(7)}` : '***';
}

/** Strips spaces, dashes and a +86 / 0086 prefix, leaving the bare digits. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return digits.replace(/\D/g, '');
}

/** Masks every mobile number inside free text, e.g. a log message. */
export function maskPhonesInText(text: string): string {
  return text.replace(MOBILE_IN_TEXT, '$1****$2');
}
