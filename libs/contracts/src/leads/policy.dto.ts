import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { EXAMPLE } from '../dto/examples';

export const ASSIGNMENT_STRATEGIES = ['round_robin', 'least_loaded', 'weighted'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export class AssignmentPolicyDto {
  @ApiProperty({ enum: ASSIGNMENT_STRATEGIES }) @IsIn(ASSIGNMENT_STRATEGIES) strategy!: AssignmentStrategy;
  @ApiProperty({ example: 30, minimum: 1, maximum: 10080 }) @IsInt() @Min(1) @Max(10080) contactSlaMinutes!: number;
  @ApiProperty({ example: 30, minimum: 0, maximum: 365 }) @IsInt() @Min(0) @Max(365) protectionDays!: number;
}

export class AssignmentPolicyView extends AssignmentPolicyDto {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) updatedAt!: string;
}
