/** Message patterns the catalog service answers. */
export const CATALOG = {
  createStore: 'catalog.stores.create',
  updateStore: 'catalog.stores.update',
  getStore: 'catalog.stores.get',
  listStores: 'catalog.stores.list',
  createBrand: 'catalog.brands.create',
  getBrand: 'catalog.brands.get',
  listBrands: 'catalog.brands.list',
  joinStore: 'catalog.booths.put',
  createProduct: 'catalog.products.create',
  updateProduct: 'catalog.products.update',
  publishProduct: 'catalog.products.publish',
  unpublishProduct: 'catalog.products.unpublish',
  setProductStores: 'catalog.products.set-stores',
  getProduct: 'catalog.products.get',
  listProducts: 'catalog.products.list',
} as const;
