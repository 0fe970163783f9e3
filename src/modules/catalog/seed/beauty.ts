import { color, option, products, scent, single, size, variants } from './helpers.js'

export const beautyProducts = products([
  {
    title: 'Hyaluronic Acid Hydrating Serum',
    categorySlugs: ['skincare'],
    variants: variants('SER-HYA', 2499, [size('30 ml', '50 ml')], { '50 ml': 1000 }),
    description:
      'Three weights of hyaluronic acid plump and hydrate every layer of the skin. ' +
      'Fragrance-free and suitable for sensitive skin.',
  },
  {
    title: 'Vitamin C Brightening Serum',
    categorySlugs: ['skincare'],
    variants: single('SER-VTC', 2999),
    description:
      'A stable 15% vitamin C serum with ferulic acid that fades dark spots and evens tone. ' +
      'Packed in an airless amber pump to stay fresh.',
  },
  {
    title: 'Daily Mineral Sunscreen SPF 50',
    categorySlugs: ['skincare'],
    variants: single('SPF-MIN', 1899),
    description:
      'A sheer zinc oxide sunscreen that leaves no white cast and sits well under makeup. ' +
      'Water-resistant for 40 minutes and reef-friendly.',
  },
  {
    title: 'Gentle Foaming Cleanser',
    categorySlugs: ['skincare'],
    variants: variants('CLN-FOM', 1499, [size('150 ml', '300 ml')], { '300 ml': 900 }),
    description:
      'A low-pH gel that foams into a soft lather and removes sunscreen without tightness. ' +
      'Made with oat extract and glycerin.',
  },
  {
    title: 'Overnight Repair Cream',
    categorySlugs: ['skincare'],
    variants: single('CRM-NGT', 3999),
    description:
      'A rich night cream with ceramides, peptides and squalane that restores the skin barrier ' +
      'while you sleep. Wake up to softer, calmer skin.',
  },
  {
    title: 'Caffeine & Coffee Seed Eye Cream',
    categorySlugs: ['skincare'],
    variants: single('EYE-COF', 2299),
    description:
      'Cold-pressed coffee seed oil and caffeine reduce puffiness and dark circles. ' +
      'A cooling metal tip depuffs on contact.',
  },
  {
    title: 'Pink Clay Face Mask',
    categorySlugs: ['skincare'],
    variants: single('MSK-CLY', 1999),
    description:
      'French pink clay and rosehip oil draw out impurities without stripping. ' +
      'Ten minutes twice a week for clearer pores.',
  },
  {
    title: 'Beeswax Lip Balm',
    categorySlugs: ['skincare'],
    variants: variants('LIP-BLM', 399, [option('flavor', 'Mint', 'Vanilla', 'Unscented')]),
    description:
      'Organic beeswax, shea butter and calendula in a recyclable paper tube. ' +
      'Soothes chapped lips on cold, windy days.',
  },
  {
    title: 'Argan Oil Shampoo',
    categorySlugs: ['hair-care'],
    variants: variants('SHP-ARG', 1599, [size('250 ml', '500 ml')], { '500 ml': 1000 }),
    description:
      'A sulfate-free shampoo with Moroccan argan oil that cleanses gently and adds shine. ' +
      'Safe for colour-treated hair.',
  },
  {
    title: 'Bond Repair Conditioner',
    categorySlugs: ['hair-care'],
    variants: variants('CON-RPR', 1899, [size('250 ml', '500 ml')], { '500 ml': 1000 }),
    description:
      'Rebuilds damaged bonds in bleached and heat-styled hair and detangles instantly. ' +
      'Leaves hair soft without weighing it down.',
  },
  {
    title: 'Solid Shampoo Bar',
    categorySlugs: ['hair-care', 'bath-body'],
    variants: variants('SHP-BAR', 1099, [scent('Rosemary', 'Citrus', 'Lavender')]),
    description:
      'A plastic-free shampoo bar that lasts as long as two bottles of liquid shampoo. ' +
      'Lathers richly in hard and soft water.',
  },
  {
    title: 'Boar Bristle Hair Brush',
    categorySlugs: ['hair-care'],
    variants: single('BRS-BOA', 3499),
    description:
      'A beechwood paddle brush with natural boar bristles that spread scalp oils for ' +
      'glossy, frizz-free hair.',
  },
  {
    title: 'Mulberry Silk Scrunchies (Set of 3)',
    categorySlugs: ['hair-care'],
    variants: variants('SCR-SLK', 1999, [color('Champagne', 'Black', 'Blush')]),
    description:
      '22-momme mulberry silk scrunchies that hold a ponytail without creases or breakage. ' +
      'Gentle enough to sleep in.',
  },
  {
    title: 'Cedar & Vetiver Eau de Parfum',
    categorySlugs: ['fragrance'],
    variants: variants('EDP-CED', 8900, [size('30 ml', '50 ml', '100 ml')], {
      '50 ml': 2600,
      '100 ml': 5000,
    }),
    description:
      'A woody, smoky scent of Atlas cedar, Haitian vetiver and a touch of pink pepper. ' +
      'Long-lasting and unisex.',
  },
  {
    title: 'Neroli Eau de Toilette',
    categorySlugs: ['fragrance'],
    variants: variants('EDT-NER', 5900, [size('50 ml', '100 ml')], { '100 ml': 3000 }),
    description:
      'Bright orange blossom, bitter orange and white musk for a fresh summer fragrance. ' +
      'A light spray for everyday wear.',
  },
  {
    title: 'Leather & Tobacco Eau de Parfum',
    categorySlugs: ['fragrance'],
    variants: variants('EDP-LTH', 9900, [size('50 ml', '100 ml')], { '100 ml': 4000 }),
    description:
      'Suede leather, cured tobacco leaf and dark vanilla with a hint of roasted coffee. ' +
      'Warm, rich and made for winter evenings.',
  },
  {
    title: 'Solid Perfume Tin',
    categorySlugs: ['fragrance'],
    variants: variants('PRF-SLD', 1999, [scent('Fig', 'Jasmine', 'Amber')]),
    description:
      'A pocket-sized balm perfume in a refillable brass tin. ' +
      'Spill-proof and allowed in hand luggage.',
  },
  {
    title: 'Refillable Travel Perfume Atomizer',
    categorySlugs: ['fragrance'],
    variants: variants('ATM-TRV', 1299, [color('Gold', 'Silver', 'Rose Gold')]),
    description:
      'Fill this 5 ml atomizer straight from your favourite bottle in seconds. ' +
      'Holds around 70 sprays for weekends away.',
  },
  {
    title: 'Coffee Body Scrub',
    categorySlugs: ['bath-body'],
    variants: variants('SCB-COF', 1899, [size('200 g', '400 g')], { '400 g': 1000 }),
    description:
      'Fine-ground arabica coffee, brown sugar and coconut oil buff away dry skin. ' +
      'Leaves skin smooth with a warm coffee aroma.',
  },
  {
    title: 'Magnesium Bath Salts',
    categorySlugs: ['bath-body'],
    variants: variants('SLT-MAG', 1499, [scent('Eucalyptus', 'Lavender')]),
    description:
      'Magnesium flakes and Dead Sea salt to soak away tired muscles after a long run. ' +
      'Scented with pure essential oils.',
  },
  {
    title: 'Shea Butter Body Lotion',
    categorySlugs: ['bath-body'],
    variants: variants('LOT-SHE', 1699, [size('250 ml', '500 ml')], { '500 ml': 900 }),
    description:
      'A fast-absorbing lotion with 10% fair-trade shea butter for all-day moisture. ' +
      'Non-greasy, so you can dress straight away.',
  },
  {
    title: 'Natural Deodorant Stick',
    categorySlugs: ['bath-body'],
    variants: variants('DEO-NAT', 999, [scent('Bergamot', 'Cedar', 'Unscented')]),
    description:
      'An aluminium-free deodorant with arrowroot and magnesium that keeps you fresh all day. ' +
      'Comes in a compostable cardboard tube.',
  },
  {
    title: 'Waterproof Volumising Mascara',
    categorySlugs: ['beauty'],
    variants: variants('MSC-WTP', 2199, [color('Black', 'Brown')]),
    description:
      'A smudge-proof, waterproof formula that lifts and volumises without clumps. ' +
      'Stays put through rain, tears and swimming.',
  },
  {
    title: 'Bamboo Makeup Brush Set',
    categorySlugs: ['beauty'],
    variants: single('BRS-MKP', 3499),
    description:
      'Eight vegan brushes with bamboo handles and soft synthetic bristles, ' +
      'in a cotton roll-up case.',
  },
])
