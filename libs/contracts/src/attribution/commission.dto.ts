// Commission rules, ledger and statement DTOs: filled by the commissions work.
export {};
