import { CreateStaffMessage, FieldError, StaffRole } from '@o2o/contracts';

/** What is wrong with a new person beyond the DTO's own checks; empty when nothing is. */
export function staffProblems(dto: Pick<CreateStaffMessage, 'team' | 'storeId' | 'role'>): FieldError[] {
  const problems: FieldError[] = [];
  if (dto.team === 'offline' && !dto.storeId) problems.push({ field: 'storeId', message: 'is required for the offline team' });
  if (dto.role === 'store_manager' && dto.team !== 'offline') problems.push({ field: 'role', message: 'store_manager is for the offline team only' });
  return problems;
}

/** The role a person holds: agent online, store_staff or store_manager offline. */
export const roleOf = (dto: Pick<CreateStaffMessage, 'team' | 'role'>): StaffRole => (dto.team === 'online' ? 'agent' : (dto.role ?? 'store_staff'));
