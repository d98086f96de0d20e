import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { Page, PageQueryDto } from '../pagination';

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

export class BrandQueryDto extends PageQueryDto {}

export class BrandView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) id!: string;
  @ApiProperty({ example: 'Nine Mu' }) name!: string;
  @ApiProperty({ type: [String], example: ['bathroom'] }) categories!: string[];
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) createdAt!: string;
}

export class BrandPageView implements Page<BrandView> {
  @ApiProperty({ type: [BrandView] }) items!: BrandView[];
  @ApiProperty({ type: String, nullable: true, description: 'The cursor of the next page; null on the last', example: EXAMPLE.nextCursor }) nextCursor!:
    string | null;
}
