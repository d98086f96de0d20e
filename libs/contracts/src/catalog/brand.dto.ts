import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateBrandDto {
  @ApiProperty({ example: 'Nine Mu' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;

  @ApiProperty({ example: ['bathroom'], type: [String] })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  categories!: string[];
}

export interface BrandView {
  id: string;
  name: string;
  categories: string[];
  createdAt: string;
}
