import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BrandPageView, BrandView } from './brand.dto';
import {
  CreateProductDto,
  ProductDetailView,
  ProductPageView,
  ProductQueryDto,
  ProductStoreView,
  ProductView,
  SkuView,
  UpdateProductMessage,
} from './product.dto';
import { BoothView, CreateStoreDto, JoinStoreMessage, StorePageView, StoreView } from './store.dto';

const fieldsIn = <T extends object>(cls: new () => T, body: object) =>
  validateSync(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) => [
    e.property,
    ...(e.children ?? []).flatMap((c) => (c.children ?? []).map((g) => `${e.property}.${c.property}.${g.property}`)),
  ]);

const product = { brandId: '0190f1c2-0000-7000-8000-000000000001', name: '智能马桶', category: 'bathroom', skus: [{ code: 'T1', priceFen: 399900 }] };

describe('catalog DTO validation', () => {
  it('accepts a valid product', () => {
    expect(fieldsIn(CreateProductDto, product)).toEqual([]);
  });

  it('names each bad field', () => {
    expect(fieldsIn(CreateProductDto, { ...product, skus: [{ code: 'T1', priceFen: 0 }] })).toContain('skus.0.priceFen');
    expect(fieldsIn(CreateProductDto, { ...product, skus: [{ code: 'T1', priceFen: -5 }] })).toContain('skus.0.priceFen');
    expect(fieldsIn(CreateProductDto, { ...product, name: '' })).toContain('name');
    expect(fieldsIn(CreateProductDto, { ...product, name: 'x'.repeat(201) })).toContain('name');
    expect(fieldsIn(CreateProductDto, { ...product, images: ['not a url'] })).toContain('images');
    expect(fieldsIn(CreateProductDto, { ...product, skus: [] })).toContain('skus');
    expect(fieldsIn(CreateProductDto, { ...product, extra: 1 })).toContain('extra');
  });

  it('accepts IANA time zones only', () => {
    const store = { name: 'S', city: 'Shanghai', address: '1 Rd' };
    expect(fieldsIn(CreateStoreDto, { ...store, timeZone: 'Asia/Shanghai' })).toEqual([]);
    expect(fieldsIn(CreateStoreDto, { ...store, timeZone: 'Mars/Olympus' })).toContain('timeZone');
    expect(fieldsIn(CreateStoreDto, { ...store, timeZone: 'CST' })).toContain('timeZone');
    expect(fieldsIn(CreateStoreDto, { ...store, opensAt: '25:00' })).toContain('opensAt');
  });

  it('converts query numbers', () => {
    const q = plainToInstance(ProductQueryDto, { maxPriceFen: '400000', limit: '5' });
    expect(validateSync(q)).toEqual([]);
    expect(q.maxPriceFen).toBe(400000);
  });

  it('checks the ids a message carries beside its body', () => {
    const storeId = '0190f1c2-0000-7000-8000-000000000002';
    expect(fieldsIn(JoinStoreMessage, { storeId, brandId: product.brandId, booth: 'B2-018' })).toEqual([]);
    expect(fieldsIn(JoinStoreMessage, { storeId: 'nope', booth: 'B2-018' })).toEqual(['storeId', 'brandId']);
    expect(fieldsIn(UpdateProductMessage, { id: storeId, skus: [{ code: 'T1', priceFen: 0 }] })).toContain('skus.0.priceFen');
    expect(fieldsIn(UpdateProductMessage, { name: 'x' })).toContain('id');
  });

  it('gives every field of each response a place in its schema', () => {
    // Where @ApiProperty records a class's properties (@nestjs/swagger does not export the key).
    const schemaOf = (cls: new () => object) =>
      (Reflect.getMetadata('swagger/apiModelPropertiesArray', cls.prototype) as string[]).map((k) => k.replace(/^:/, ''));
    const product = ['id', 'brandId', 'name', 'category', 'style', 'description', 'images', 'status', 'fromPriceFen', 'createdAt', 'updatedAt'];
    const page = ['items', 'nextCursor'];
    const views: [new () => object, string[]][] = [
      [StoreView, ['id', 'name', 'city', 'district', 'address', 'timeZone', 'opensAt', 'closesAt', 'slotMinutes', 'slotCapacity', 'createdAt', 'updatedAt']],
      [BoothView, ['storeId', 'brandId', 'booth']],
      [BrandView, ['id', 'name', 'categories', 'createdAt']],
      [SkuView, ['code', 'name', 'attributes', 'priceFen']],
      [ProductView, product],
      [ProductStoreView, ['id', 'name', 'city']],
      [ProductDetailView, [...product, 'skus', 'stores']],
      [StorePageView, page],
      [BrandPageView, page],
      [ProductPageView, page],
    ];
    for (const [view, fields] of views) expect({ view: view.name, fields: schemaOf(view) }).toEqual({ view: view.name, fields });
  });
});
