// What the demo world looks like: a few cities and stores, bilingual brands in the five
// categories, their products, the people, the 1-yuan card, and how each channel behaves.

export const STAFF_PASSWORD = 'demo-pass-2024';

/** Stores by city; `code` keeps usernames short and stable across runs. */
export const STORES = [
  { code: 'sh-zb', city: 'Shanghai', name: '红星美凯龙 上海真北店 Zhenbei', district: 'Putuo', address: '1058 Zhenbei Rd' },
  { code: 'sh-pd', city: 'Shanghai', name: '红星美凯龙 上海浦东店 Pudong', district: 'Pudong', address: '518 Linyi Rd' },
  { code: 'bj-4r', city: 'Beijing', name: '红星美凯龙 北京北四环店 North 4th Ring', district: 'Chaoyang', address: '33 Beisihuan East Rd' },
  { code: 'hz-gd', city: 'Hangzhou', name: '红星美凯龙 杭州古墩路店 Gudun Rd', district: 'Xihu', address: '701 Gudun Rd' },
];

export const CATEGORIES = ['bathroom', 'cabinets', 'tiles', 'doors', 'furniture'];

/** Brands with their Chinese and English names; each with two products (prices in fen). */
export const BRANDS = [
  {
    name: '九牧 JOMOO',
    category: 'bathroom',
    products: [
      { name: '九牧智能马桶 JOMOO smart toilet S7', style: 'modern', skus: [sku('JM-S7-W', 'White', 399_900), sku('JM-S7-B', 'Black', 459_900)] },
      { name: '九牧恒温花洒 JOMOO thermostatic shower', style: 'minimalist', skus: [sku('JM-SH-C', 'Chrome', 189_900), sku('JM-SH-G', 'Gun grey', 219_900)] },
    ],
  },
  {
    name: '科勒 Kohler',
    category: 'bathroom',
    products: [
      { name: '科勒浴室柜 Kohler vanity Parallel', style: 'modern', skus: [sku('KH-PV-80', '80 cm', 599_900), sku('KH-PV-100', '100 cm', 699_900)] },
      { name: '科勒铸铁浴缸 Kohler cast-iron bath', style: 'classic', skus: [sku('KH-BT-15', '1.5 m', 1_299_900), sku('KH-BT-17', '1.7 m', 1_499_900)] },
    ],
  },
  {
    name: '欧派 Oppein',
    category: 'cabinets',
    products: [
      { name: '欧派整体橱柜 Oppein fitted kitchen', style: 'modern', skus: [sku('OP-KT-S', '3 m run', 2_580_000), sku('OP-KT-L', '5 m run', 3_680_000)] },
      { name: '欧派定制衣柜 Oppein wardrobe', style: 'nordic', skus: [sku('OP-WD-2', '2 doors', 899_900), sku('OP-WD-4', '4 doors', 1_499_900)] },
    ],
  },
  {
    name: '志邦 Zbom',
    category: 'cabinets',
    products: [
      { name: '志邦橱柜 Zbom kitchen Nordic', style: 'nordic', skus: [sku('ZB-KN-S', '3 m run', 1_980_000), sku('ZB-KN-L', '5 m run', 2_880_000)] },
      { name: '志邦书柜 Zbom bookcase', style: 'minimalist', skus: [sku('ZB-BC-1', '1.2 m', 459_900), sku('ZB-BC-2', '2.4 m', 799_900)] },
    ],
  },
  {
    name: '马可波罗 Marco Polo',
    category: 'tiles',
    products: [
      { name: '马可波罗岩板 Marco Polo sintered slab', style: 'modern', skus: [sku('MP-SL-60', '60 m²', 1_260_000), sku('MP-SL-90', '90 m²', 1_890_000)] },
      { name: '马可波罗仿古砖 Marco Polo rustic tile', style: 'classic', skus: [sku('MP-RT-30', '30 m²', 420_000), sku('MP-RT-60', '60 m²', 840_000)] },
    ],
  },
  {
    name: '东鹏 Dongpeng',
    category: 'tiles',
    products: [
      { name: '东鹏瓷砖 Dongpeng porcelain tile', style: 'minimalist', skus: [sku('DP-PT-40', '40 m²', 360_000), sku('DP-PT-80', '80 m²', 720_000)] },
      { name: '东鹏木纹砖 Dongpeng wood-look tile', style: 'nordic', skus: [sku('DP-WT-40', '40 m²', 520_000), sku('DP-WT-80', '80 m²', 1_040_000)] },
    ],
  },
  {
    name: 'TATA木门 TATA Doors',
    category: 'doors',
    products: [
      { name: 'TATA静音门 TATA silent door', style: 'modern', skus: [sku('TT-SD-1', 'Single', 299_900), sku('TT-SD-3', 'Set of 3', 849_900)] },
      { name: 'TATA隐形门 TATA hidden door', style: 'minimalist', skus: [sku('TT-HD-1', 'Single', 459_900), sku('TT-HD-2', 'Set of 2', 899_900)] },
    ],
  },
  {
    name: '梦天 Mengtian',
    category: 'doors',
    products: [
      { name: '梦天实木门 Mengtian solid-wood door', style: 'chinese', skus: [sku('MT-SW-1', 'Single', 529_900), sku('MT-SW-3', 'Set of 3', 1_499_900)] },
      { name: '梦天护墙板 Mengtian wall panels', style: 'classic', skus: [sku('MT-WP-20', '20 m²', 680_000), sku('MT-WP-40', '40 m²', 1_320_000)] },
    ],
  },
  {
    name: '顾家家居 KUKA Home',
    category: 'furniture',
    products: [
      { name: '顾家真皮沙发 KUKA leather sofa', style: 'modern', skus: [sku('KK-LS-3', '3 seats', 1_299_900), sku('KK-LS-L', 'L-shaped', 1_899_900)] },
      { name: '顾家床垫 KUKA mattress', style: 'minimalist', skus: [sku('KK-MT-15', '1.5 m', 499_900), sku('KK-MT-18', '1.8 m', 599_900)] },
    ],
  },
  {
    name: '全友 Quanu',
    category: 'furniture',
    products: [
      { name: '全友餐桌 Quanu dining set', style: 'nordic', skus: [sku('QU-DS-4', '4 seats', 359_900), sku('QU-DS-6', '6 seats', 499_900)] },
      { name: '全友衣柜 Quanu wardrobe', style: 'chinese', skus: [sku('QU-WD-2', '2 doors', 299_900), sku('QU-WD-3', '3 doors', 399_900)] },
    ],
  },
];

function sku(code, name, priceFen) {
  return { code, name, priceFen };
}

/** Per store: a manager and salespeople, each selling some of the brands (indexes into BRANDS). */
export const STORE_TEAM = [
  { suffix: 'mgr', name: '店长 Store manager', role: 'store_manager', brands: 'all' },
  { suffix: 's1', name: '导购 Sales A', brands: [0, 2, 4, 6, 8] },
  { suffix: 's2', name: '导购 Sales B', brands: [1, 3, 5, 7, 9] },
];

/** Chinese given names for the people; the store code or agent number keeps each one distinct. */
export const PERSON_NAMES = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰', '吴敏', '徐涛', '孙悦', '马超', '朱琳', '胡斌', '郭婷'];

export const AGENTS = [
  { username: 'demo-agent-1', name: '客服 林晓 Lin Xiao' },
  { username: 'demo-agent-2', name: '客服 何佳 He Jia' },
  { username: 'demo-agent-3', name: '客服 高远 Gao Yuan' },
  { username: 'demo-agent-4', name: '客服 罗兰 Luo Lan' },
];

export const CAMPAIGN = {
  name: '1元特权卡 1-yuan privilege card',
  priceFen: 100,
  benefit: { type: 'amount_off', value: 50_000, minSpendFen: 300_000 },
  validDays: 180,
};

/** Put only when the stack has none: commissions need rules to exist. */
export const COMMISSION_RULES = { onlineRate: 150, offlineRate: 250, premiumRate: 400, platformFeeRate: 300, attributionWindowDays: 90, approvalDelayDays: 15 };

/**
 * How each channel's traffic behaves: its share of visitors and how often a visitor goes on to
 * consult; the later steps depend on people, not channels, in this demo.
 */
export const CHANNELS = [
  { key: 'seo', share: 0.3, consultRate: 0.07, campaigns: ['seo-organic'], keywords: ['智能马桶 推荐', 'kitchen cabinet price', '瓷砖 品牌'] },
  {
    key: 'sem',
    share: 0.28,
    consultRate: 0.13,
    campaigns: ['sem-baidu-brand', 'sem-baidu-generic'],
    keywords: ['九牧马桶 价格', '欧派橱柜 多少钱', 'sofa deal'],
  },
  { key: 'social', share: 0.2, consultRate: 0.1, campaigns: ['xhs-notes', 'douyin-live'], keywords: [] },
  { key: 'partner', share: 0.1, consultRate: 0.15, campaigns: ['partner-jd-home', 'partner-anjuke'], keywords: [] },
  { key: 'direct', share: 0.08, consultRate: 0.11, campaigns: [], keywords: [] },
  { key: 'offline', share: 0.04, consultRate: 0.2, campaigns: ['mall-roadshow'], keywords: [] },
];

export const LANDING_PAGES = [
  '/',
  '/brands',
  '/products?category=bathroom',
  '/products?category=cabinets',
  '/stores',
  '/cards/1-yuan',
  '/products?category=tiles',
];
export const STYLES = ['modern', 'nordic', 'minimalist', 'chinese', 'classic'];

/** The rates of the later steps, and how big one batch is at DEMO_SCALE=1. */
export const SHAPE = {
  visitors: 2000,
  bookRate: 0.65,
  cardRate: 0.45,
  payRate: 0.9,
  cancelRate: 0.05,
  checkInRate: 0.65,
  dealRate: 0.7,
  /** Walk-in deals (no card, no booking, a phone never seen) per checked-in deal. */
  walkInRate: 0.12,
  refundRate: 0.07,
  /** Touchpoints spread over this many days before now (the report covers 14 days and today). */
  spreadDays: 13,
};

/** A small seeded generator, so a batch is reproducible from its seed. */
export function randomSource(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    weighted: (list, weightOf) => {
      const total = list.reduce((s, x) => s + weightOf(x), 0);
      let r = next() * total;
      for (const x of list) {
        r -= weightOf(x);
        if (r < 0) return x;
      }
      return list[list.length - 1];
    },
  };
}
