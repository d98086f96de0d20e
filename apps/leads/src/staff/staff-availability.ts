/**
 * Told when a salesperson may have become eligible (made, activated, given capacity or brands),
 * so that the store's waiting leads are routed at once. Assignment provides it; staff imports no
 * assignment code.
 */
export abstract class StaffAvailability {
  abstract changed(storeId: string): Promise<void>;
}
