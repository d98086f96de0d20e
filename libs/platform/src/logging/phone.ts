const MOBILE_IN_TEXT = /(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g;

/** Masks every mobile number inside free text, e.g. a log message. */
export function maskPhonesInText(text: string): string {
  return text.replace(MOBILE_IN_TEXT, '$1****$2');
}
