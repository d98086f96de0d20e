import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE, Role } from '@o2o/contracts';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username!: string;

  @ApiProperty({ example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class LoginResultDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkwZjFjMi03YTEw…' }) accessToken!: string;
  @ApiProperty({ description: 'Seconds until the token expires', example: 28800 }) expiresIn!: number;
  @ApiProperty({ type: [String], example: [Role.StoreStaff] }) roles!: string[];
  @ApiProperty({ required: false, example: EXAMPLE.staffId }) staffId?: string;
  @ApiProperty({ required: false, example: EXAMPLE.storeId }) storeId?: string;
}
