// Touchpoint DTOs: filled by the funnel work.
export {};
