/** Mainland China mobile number: 11 digits, starting with 1. */
export const MAINLAND_MOBILE = /^1\d{10}$/;
