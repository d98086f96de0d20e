import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { ProductStatus } from '../enums';
import { Page, PageQueryDto } from '../pagination';

const MAX_PRICE_FEN = 100_000_000_00; // 100 million yuan

export class SkuDto {
  @ApiProperty({ example: 'T1-WHITE' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'code must be 1 to 64 letters, digits, dots, dashes or underscores' })
  code!: string;

  @ApiPropertyOptional({ example: '智能马桶一体机 T1 白色' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ example: { color: 'white' } }) @IsOptional() @IsObject() attributes?: Record<string, unknown>;

  @ApiProperty({ example: 399900, description: 'Price in fen (1 yuan = 100 fen)' })
  @IsInt()
  @Min(1, { message: 'priceFen must be a positive number of fen' })
  @Max(MAX_PRICE_FEN)
  priceFen!: number;
}

export class CreateProductDto {
  @ApiProperty({ example: EXAMPLE.brandId }) @IsUUID() brandId!: string;
  @ApiProperty({ example: '智能马桶一体机' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'bathroom' }) @IsString() @IsNotEmpty() @MaxLength(50) category!: string;
  @ApiPropertyOptional({ example: 'modern' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50) style?: string;
  @ApiPropertyOptional({ example: '一键冲洗，座圈恒温加热，夜灯感应' }) @IsOptional() @IsString() @MaxLength(5000) description?: string;

  @ApiPropertyOptional({ type: [String], example: ['https://img.example.com/products/t1-white-1.jpg'] })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true, message: 'each image must be an http(s) URL' })
  images?: string[];

  @ApiProperty({ type: [SkuDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SkuDto)
  skus!: SkuDto[];
}

/** Any field of a product but its brand. Given skus, the product's SKUs become exactly those, prices included. */
export class UpdateProductDto extends PartialType(OmitType(CreateProductDto, ['brandId'] as const)) {}

export class UpdateProductMessage extends UpdateProductDto {
  @IsUUID() id!: string;
}

export class SetProductStoresDto {
  @ApiProperty({ type: [String], example: [EXAMPLE.storeId] })
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  storeIds!: string[];
}

export class SetProductStoresMessage extends SetProductStoresDto {
  @IsUUID() id!: string;
}

export class ProductQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) style?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() brandId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() storeId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_PRICE_FEN) minPriceFen?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_PRICE_FEN) maxPriceFen?: number;
  @ApiPropertyOptional({ description: 'Text in the name: substring for Chinese, case-insensitive for Latin' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ enum: ProductStatus, description: 'Admin, ops and partners only' })
  @IsOptional()
  @IsIn(Object.values(ProductStatus))
  status?: ProductStatus;
}

export class SkuView {
  @ApiProperty({ example: 'T1-WHITE' }) code!: string;
  @ApiProperty({ type: String, nullable: true, example: '智能马桶一体机 T1 白色' }) name!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { color: 'white' } }) attributes!: Record<string, unknown>;
  @ApiProperty({ example: 399900, description: 'Price in fen (1 yuan = 100 fen)' }) priceFen!: number;
}

export class ProductView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.productId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ example: '智能马桶一体机' }) name!: string;
  @ApiProperty({ example: 'bathroom' }) category!: string;
  @ApiProperty({ type: String, nullable: true, example: 'modern' }) style!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '一键冲洗，座圈恒温加热，夜灯感应' }) description!: string | null;
  @ApiProperty({ type: [String], example: ['https://img.example.com/products/t1-white-1.jpg'] }) images!: string[];
  @ApiProperty({ enum: ProductStatus, example: ProductStatus.Published }) status!: ProductStatus;
  @ApiProperty({ example: 399900, description: 'The price of its cheapest SKU, in fen' }) fromPriceFen!: number;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) updatedAt!: string;
}

/** A store where a product is on display. */
export class ProductStoreView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.storeId }) id!: string;
  @ApiProperty({ example: 'Zhenbei store' }) name!: string;
  @ApiProperty({ example: 'Shanghai' }) city!: string;
}

export class ProductDetailView extends ProductView {
  @ApiProperty({ type: [SkuView], description: 'Cheapest first' }) skus!: SkuView[];
  @ApiProperty({ type: [ProductStoreView], description: 'Where it is on display, by city and name' }) stores!: ProductStoreView[];
}

export class ProductPageView implements Page<ProductView> {
  @ApiProperty({ type: [ProductView] }) items!: ProductView[];
  @ApiProperty({ type: String, nullable: true, description: 'The cursor of the next page; null on the last', example: EXAMPLE.nextCursor }) nextCursor!:
    string | null;
}
