// Deal attribution DTOs: filled by the commissions work.
export {};
