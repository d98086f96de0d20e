import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { PageQueryDto } from '../pagination';

export const TEAMS = ['online', 'offline'] as const;
export type Team = (typeof TEAMS)[number];

/** The login role a staff member gets: agent (online), store_staff or store_manager (offline). */
export const STAFF_ROLES = ['agent', 'store_staff', 'store_manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The person in the roster, as leads keeps it (the login lives in the gateway). */
export class CreateStaffMessage {
  @ApiProperty({ example: '王芳' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ enum: TEAMS }) @IsIn(TEAMS) team!: Team;
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for the offline team', example: EXAMPLE.storeId })
  @IsOptional()
  @IsUUID('all')
  storeId?: string;
  @ApiPropertyOptional({ type: [String], example: [EXAMPLE.brandId] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  brandIds?: string[];
  @ApiPropertyOptional({ default: 20, minimum: 0, maximum: 1000, example: 20 }) @IsOptional() @IsInt() @Min(0) @Max(1000) dailyCapacity?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ enum: ['store_manager'], description: 'An offline team member who leads the store' })
  @IsOptional()
  @IsIn(['store_manager'])
  role?: 'store_manager';
}

/** The HTTP body: the person, and optionally their login. */
export class CreateStaffDto extends CreateStaffMessage {
  @ApiPropertyOptional({ example: 'wangfang' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9._-]{3,40}$/, { message: 'username must be 3 to 40 of a-z, 0-9, . _ -' })
  username?: string;
  @ApiPropertyOptional({ minLength: 8, example: 'Sofa-2026-spring' }) @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
}

export class UpdateStaffDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 1000, example: 25 }) @IsOptional() @IsInt() @Min(0) @Max(1000) dailyCapacity?: number;
  @ApiPropertyOptional({ type: [String], example: [EXAMPLE.brandId] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  brandIds?: string[];
}

export class UpdateStaffMessage extends UpdateStaffDto {
  @IsUUID('all') id!: string;
}

export class StaffQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') storeId?: string;
  @ApiPropertyOptional({ enum: TEAMS }) @IsOptional() @IsIn(TEAMS) team?: Team;
}

export class StaffView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.staffId }) id!: string;
  @ApiProperty({ example: '王芳' }) name!: string;
  @ApiProperty({ enum: TEAMS, example: 'offline' }) team!: Team;
  @ApiProperty({ enum: STAFF_ROLES, example: 'store_staff' }) role!: StaffRole;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, example: EXAMPLE.storeId }) storeId!: string | null;
  @ApiProperty({ type: [String], example: [EXAMPLE.brandId] }) brandIds!: string[];
  @ApiProperty({ example: 20 }) dailyCapacity!: number;
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ description: 'The login, when one was made', example: 'wangfang' }) username?: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) createdAt!: string;
}
