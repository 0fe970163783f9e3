import {
  capacity,
  color,
  length,
  material,
  option,
  products,
  single,
  size,
  variants,
  weight,
} from './helpers.js'

const grind = option('grind', 'Whole Bean', 'Filter')

export const homeKitchenProducts = products([
  {
    title: 'Gooseneck Pour-Over Kettle',
    categorySlugs: ['coffee-tea'],
    variants: variants('KTL-GNK', 6900, [color('Matte Black', 'Brushed Steel')]),
    description:
      'A 1 litre stovetop kettle with a slender gooseneck spout for precise pour-over coffee. ' +
      'Works on gas, electric and induction hobs.',
  },
  {
    title: 'Electric Gooseneck Kettle with Temperature Control',
    categorySlugs: ['coffee-tea'],
    variants: single('KTL-ELC', 11900),
    description:
      'Set any temperature from 40 to 100 °C and hold it for an hour. ' +
      'Ideal for green tea, oolong and slow, even coffee blooms.',
  },
  {
    title: 'Ceramic Pour-Over Coffee Dripper',
    categorySlugs: ['coffee-tea'],
    variants: variants('DRP-CER', 2499, [color('White', 'Terracotta', 'Sage')]),
    description:
      'A glazed porcelain cone with spiral ribs that keep the paper filter from sticking. ' +
      'Brews one or two cups of clean, bright coffee.',
  },
  {
    title: 'Conical Burr Coffee Grinder',
    categorySlugs: ['coffee-tea'],
    variants: single('GRN-BUR', 14900),
    description:
      'Forty grind settings from fine espresso to coarse French press. ' +
      'Steel conical burrs turn slowly to keep coffee grounds cool and consistent.',
  },
  {
    title: 'Ethiopia Yirgacheffe Coffee Beans',
    categorySlugs: ['coffee-tea'],
    variants: variants('COF-ETH', 1499, [grind, weight('250 g', '1 kg')], { '1 kg': 3500 }),
    description:
      'A washed, light-roast single origin with notes of jasmine, bergamot and lemon curd. ' +
      'Roasted weekly in small batches in Berlin.',
  },
  {
    title: 'Colombia Huila Espresso Roast',
    categorySlugs: ['coffee-tea'],
    variants: variants('COF-COL', 1299, [weight('250 g', '500 g', '1 kg')], {
      '500 g': 1000,
      '1 kg': 2900,
    }),
    description:
      'A medium-dark espresso roast with chocolate, caramel and red apple sweetness. ' +
      'Pulls a syrupy shot and stands up well to milk.',
  },
  {
    title: 'Cold Brew Coffee Maker',
    categorySlugs: ['coffee-tea'],
    variants: variants('CBR-MKR', 3499, [capacity('1 L', '1.5 L')], { '1.5 L': 500 }),
    description:
      'A borosilicate glass carafe with a fine stainless mesh filter. ' +
      'Steep coarse grounds overnight for smooth, low-acid coffee concentrate.',
  },
  {
    title: 'Japanese Sencha Green Tea',
    categorySlugs: ['coffee-tea'],
    variants: variants('TEA-SEN', 1199, [weight('50 g', '100 g')], { '100 g': 800 }),
    description:
      'First-flush loose-leaf sencha from Shizuoka, steamed for a grassy, umami-rich cup. ' +
      'Packed in a resealable, light-proof pouch.',
  },
  {
    title: 'Double-Walled Glass Mugs (Set of 2)',
    categorySlugs: ['coffee-tea', 'tableware'],
    variants: variants('MUG-GLS', 2999, [capacity('250 ml', '350 ml')], { '350 ml': 400 }),
    description:
      'Hand-blown insulated glasses that keep a flat white hot and your fingers cool. ' +
      'The layered look of latte art, visible from every side.',
  },
  {
    title: 'Home Espresso Machine',
    categorySlugs: ['coffee-tea', 'home-kitchen'],
    variants: variants('ESP-MCH', 49900, [color('Stainless Steel', 'Cream')]),
    description:
      'A dual-boiler espresso machine with PID temperature control and a commercial 58 mm ' +
      'portafilter. Steam silky milk while the next shot pulls.',
  },
  {
    title: 'Pre-Seasoned Cast Iron Skillet',
    categorySlugs: ['cookware'],
    variants: variants('SKL-CST', 4999, [size('20 cm', '26 cm', '30 cm')], {
      '26 cm': 1500,
      '30 cm': 3000,
    }),
    description:
      'Seasoned with flaxseed oil and ready to sear straight out of the box. ' +
      'Goes from hob to oven to campfire and lasts for generations.',
  },
  {
    title: 'Tri-Ply Stainless Steel Saucepan',
    categorySlugs: ['cookware'],
    variants: variants('PAN-SAU', 7999, [capacity('1.5 L', '2.5 L')], { '2.5 L': 2000 }),
    description:
      'An aluminium core clad in stainless steel for even heat without hot spots. ' +
      'Comes with a tight-fitting lid and a pouring rim.',
  },
  {
    title: 'Enameled Cast Iron Dutch Oven',
    categorySlugs: ['cookware'],
    variants: variants('DOV-ENM', 16900, [color('Cherry', 'Ocean', 'Cream')]),
    description:
      'A 4.5 litre casserole for braises, stews and crusty no-knead bread. ' +
      'The glossy enamel interior needs no seasoning.',
  },
  {
    title: 'Carbon Steel Wok',
    categorySlugs: ['cookware'],
    variants: single('WOK-CRB', 5499),
    description:
      'A hand-hammered 34 cm round-bottom wok with a wooden handle. ' +
      'Builds a natural non-stick patina for smoky stir-fries.',
  },
  {
    title: "Chef's Knife 20 cm",
    categorySlugs: ['cookware'],
    variants: variants('KNF-CHF', 8900, [material('Walnut', 'Olive Wood')]),
    description:
      'A forged knife in Japanese VG-10 steel with a 15-degree edge. ' +
      'Balanced at the bolster for effortless rocking cuts.',
  },
  {
    title: 'End-Grain Wooden Cutting Board',
    categorySlugs: ['cookware'],
    variants: variants('BRD-END', 6999, [size('Medium', 'Large')], { Large: 3000 }),
    description:
      'Self-healing end-grain acacia that is gentle on knife edges. ' +
      'Rubber feet keep it steady and a juice groove catches drips.',
  },
  {
    title: 'Stoneware Dinner Plates (Set of 4)',
    categorySlugs: ['tableware'],
    variants: variants('PLT-STN', 5999, [color('Speckled White', 'Charcoal', 'Moss')]),
    description:
      'Reactive-glaze stoneware plates, each one slightly different. ' +
      'Dishwasher and microwave safe.',
  },
  {
    title: 'Handblown Wine Glasses (Set of 2)',
    categorySlugs: ['tableware'],
    variants: single('GLS-WIN', 3999),
    description:
      'Thin-rimmed universal glasses mouth-blown in the Czech Republic. ' +
      'Light in the hand and surprisingly sturdy.',
  },
  {
    title: 'Linen Table Runner',
    categorySlugs: ['tableware'],
    variants: variants('RUN-LIN', 2999, [color('Natural', 'Indigo'), length('180 cm', '240 cm')], {
      '240 cm': 700,
    }),
    description:
      'A stonewashed European flax linen runner with mitred corners. ' +
      'Dresses up a dinner table and softens beautifully with use.',
  },
  {
    title: 'Olive Wood Serving Bowl',
    categorySlugs: ['tableware'],
    variants: variants('BWL-OLV', 3499, [size('Small', 'Large')], { Large: 1500 }),
    description:
      'Turned from a single block of Tunisian olive wood with striking grain. ' +
      'Made for salads, fruit and fresh bread.',
  },
  {
    title: 'Coffee & Cardamom Soy Candle',
    categorySlugs: ['home-decor'],
    variants: variants('CND-COF', 2499, [weight('200 g', '400 g')], { '400 g': 1500 }),
    description:
      'Hand-poured soy wax with notes of roasted coffee, green cardamom and brown sugar. ' +
      'A cotton wick burns cleanly for up to 45 hours.',
  },
  {
    title: 'Chunky Knit Wool Throw',
    categorySlugs: ['home-decor'],
    variants: variants('THR-KNT', 11900, [color('Cream', 'Charcoal')]),
    description:
      'Oversized stitches hand-knitted from undyed New Zealand wool. ' +
      'Draped over the sofa it is as much sculpture as blanket.',
  },
  {
    title: 'Leather and Oak Magazine Rack',
    categorySlugs: ['home-decor'],
    variants: single('RCK-MAG', 8900),
    description:
      'A solid oak frame with a saddle leather sling for magazines, records and sketchbooks. ' +
      'Assembles in minutes without tools.',
  },
  {
    title: 'Ceramic Bud Vase Trio',
    categorySlugs: ['home-decor'],
    variants: single('VAS-BUD', 3299),
    description:
      'Three small matte vases in graduated heights for single stems and dried grasses. ' +
      'Thrown on the wheel in a Lisbon studio.',
  },
  {
    title: 'Linen Cushion Cover',
    categorySlugs: ['home-decor'],
    variants: variants('CSH-LIN', 2499, [color('Terracotta', 'Sage', 'Oat')]),
    description:
      'A 45 x 45 cm cushion cover in washed linen with a hidden zip. Insert sold separately.',
  },
  {
    title: 'Waffle Weave Cotton Towel Set',
    categorySlugs: ['home-kitchen'],
    variants: variants('TWL-WAF', 4999, [color('White', 'Stone')]),
    description:
      'Two bath towels and two hand towels in quick-drying Turkish cotton waffle weave. ' +
      'Light, absorbent and ideal for humid bathrooms.',
  },
])
