import { capacity, color, material, products, single, size, variants } from './helpers.js'

export const outdoorProducts = products([
  {
    title: 'Ultralight Two-Person Tent',
    categorySlugs: ['camping'],
    variants: variants('TNT-2P', 29900, [color('Olive', 'Sand')]),
    description:
      'A freestanding 1.4 kg tent with two doors, two vestibules and a waterproof silnylon fly. ' +
      'Pitches in under three minutes, even in the rain.',
  },
  {
    title: 'Three-Season Down Sleeping Bag',
    categorySlugs: ['camping'],
    variants: variants('SLB-DWN', 24900, [size('Regular', 'Long')], { Long: 2000 }),
    description:
      'Rated to -5 °C with 650-fill hydrophobic down and a contoured hood. ' +
      'Compresses to the size of a loaf of bread.',
  },
  {
    title: 'Self-Inflating Sleeping Pad',
    categorySlugs: ['camping'],
    variants: variants('PAD-SLF', 7999, [size('Regular', 'Wide')], { Wide: 1500 }),
    description:
      'Open-cell foam inflates itself in minutes; top it off with a few breaths. ' +
      'An R-value of 4.2 keeps the cold ground at bay.',
  },
  {
    title: 'Compact Camping Stove',
    categorySlugs: ['camping'],
    variants: single('STV-CMP', 4999),
    description:
      'A palm-sized canister stove with piezo ignition that boils a litre in three minutes. ' +
      'Folding pot supports fit everything from mugs to skillets.',
  },
  {
    title: 'Titanium Camp Mug',
    categorySlugs: ['camping'],
    variants: variants('MUG-TTN', 2999, [capacity('450 ml', '600 ml')], { '600 ml': 500 }),
    description:
      'Weighs less than a chocolate bar and doubles as a pot for morning coffee over the stove. ' +
      'Folding handles and a measured scale inside.',
  },
  {
    title: 'Rechargeable LED Lantern',
    categorySlugs: ['camping'],
    variants: single('LNT-LED', 3999),
    description:
      'A 500-lumen lantern with warm and cool modes that charges over USB-C. ' +
      'Runs for up to 60 hours on low and can top up your phone.',
  },
  {
    title: 'Stainless Steel Camp Coffee Percolator',
    categorySlugs: ['camping', 'coffee-tea'],
    variants: single('PRC-CMP', 3499),
    description:
      'Brew six cups of strong coffee over a campfire or gas stove. ' +
      'A glass knob on the lid lets you watch it perk.',
  },
  {
    title: 'Roll-Top Waterproof Dry Bag',
    categorySlugs: ['camping', 'hiking'],
    variants: variants('BAG-DRY', 1999, [capacity('10 L', '20 L', '35 L')], {
      '20 L': 600,
      '35 L': 1200,
    }),
    description:
      'Welded seams and a triple roll-top closure keep clothes and electronics dry on kayak ' +
      'trips. Comes with a detachable shoulder strap.',
  },
  {
    title: 'Folding Trekking Poles (Pair)',
    categorySlugs: ['hiking'],
    variants: variants('POL-TRK', 8999, [material('Aluminium', 'Carbon')], { Carbon: 4000 }),
    description:
      'Three-section poles that fold to 38 cm and deploy with a single pull. ' +
      'Cork grips wick sweat on long climbs.',
  },
  {
    title: 'Hiking Daypack 30 L',
    categorySlugs: ['hiking'],
    variants: variants('PCK-30L', 9900, [color('Forest', 'Slate', 'Ember')]),
    description:
      'A ventilated trampoline back panel, hip-belt pockets and an integrated rain cover. ' +
      'Hydration-reservoir compatible for full days on the trail.',
  },
  {
    title: 'Merino Hiking Socks',
    categorySlugs: ['hiking'],
    variants: variants('SOK-HIK', 1899, [size('S', 'M', 'L')]),
    description:
      'Cushioned crew socks knitted from merino and nylon for warmth and durability. ' +
      'Seamless toes mean no blisters on long descents.',
  },
  {
    title: 'Insulated Stainless Water Bottle',
    categorySlugs: ['hiking'],
    variants: variants('BTL-INS', 2999, [capacity('500 ml', '750 ml', '1 L')], {
      '750 ml': 400,
      '1 L': 800,
    }),
    description:
      'Vacuum insulation keeps drinks cold for 24 hours or hot for 12. ' +
      'A leak-proof lid with a carry loop clips onto any pack.',
  },
  {
    title: 'Waterproof Map Case',
    categorySlugs: ['hiking'],
    variants: single('MAP-CSE', 1499),
    description:
      'A clear TPU sleeve with a waterproof zip seal sized for folded OS and IGN maps. ' +
      'Hangs around the neck on an adjustable cord.',
  },
  {
    title: 'Softshell Hiking Trousers',
    categorySlugs: ['hiking'],
    variants: variants('TRS-SFT', 8900, [size('S', 'M', 'L', 'XL')]),
    description:
      'Four-way stretch softshell with a durable water-repellent finish and articulated knees. ' +
      'Zip pockets keep your phone secure on scrambles.',
  },
  {
    title: 'Lightweight Running Shorts',
    categorySlugs: ['running'],
    variants: variants('SHR-RUN', 3499, [size('S', 'M', 'L', 'XL')]),
    description:
      'Five-inch split shorts with a built-in brief and a rear zip pocket for keys. ' +
      'Quick-drying fabric for hot summer runs.',
  },
  {
    title: 'Running Belt with Phone Pocket',
    categorySlugs: ['running'],
    variants: variants('BLT-RUN', 2499, [size('S/M', 'L/XL')]),
    description:
      'A bounce-free stretch belt that holds a large phone, gels and keys. ' +
      'Reflective trims keep runners visible after dark.',
  },
  {
    title: 'Reflective Safety Running Vest',
    categorySlugs: ['running', 'cycling'],
    variants: variants('VST-REF', 2999, [size('S/M', 'L/XL')]),
    description:
      'A featherweight mesh vest with 360-degree reflective panels and a USB-rechargeable ' +
      'rear light. Essential for winter running and cycling commutes.',
  },
  {
    title: 'Cushioned Road Running Shoes',
    categorySlugs: ['running', 'footwear'],
    variants: variants('SHO-ROD', 12900, [size('EU 40', 'EU 41', 'EU 42', 'EU 43', 'EU 44')]),
    description:
      'A plush nitrogen-infused midsole and an 8 mm drop for easy miles and long runs. ' +
      'An engineered knit upper hugs the foot without pressure points.',
  },
  {
    title: 'Hydration Running Vest 5 L',
    categorySlugs: ['running'],
    variants: variants('VST-HYD', 8999, [size('S', 'M', 'L')]),
    description:
      'A close-fitting pack with two 500 ml soft flasks up front for ultra and trail runners. ' +
      'Stretch pockets keep gels and a jacket within reach.',
  },
  {
    title: 'Commuter Bike Helmet',
    categorySlugs: ['cycling'],
    variants: variants('HLM-COM', 6999, [color('Matte Black', 'White'), size('M', 'L')]),
    description:
      'MIPS protection in a clean urban shell with an integrated magnetic rear light. ' +
      'A dial fit system adjusts with one hand.',
  },
  {
    title: 'Waterproof Pannier Bag',
    categorySlugs: ['cycling'],
    variants: variants('PNR-WTP', 7999, [capacity('20 L', '25 L')], { '25 L': 1000 }),
    description:
      'A fully waterproof roll-top pannier that clicks onto most rear racks in seconds. ' +
      'Fits a laptop sleeve and a change of clothes.',
  },
  {
    title: 'USB-C Rechargeable Bike Light Set',
    categorySlugs: ['cycling'],
    variants: single('LGT-BKE', 3999),
    description:
      'A 400-lumen front light and a 50-lumen rear light with daytime flash modes. ' +
      'Tool-free silicone mounts fit any handlebar or seat post.',
  },
  {
    title: 'Bike Multi-Tool 16-in-1',
    categorySlugs: ['cycling'],
    variants: single('TOL-BKE', 2499),
    description:
      'Hex keys, Torx, screwdrivers, a chain breaker and spoke keys in a forged aluminium body. ' +
      'Small enough for a saddle bag.',
  },
  {
    title: 'Padded Cycling Gloves',
    categorySlugs: ['cycling'],
    variants: variants('GLV-CYC', 2499, [size('S', 'M', 'L', 'XL')]),
    description:
      'Fingerless gloves with gel palm pads and touchscreen-friendly terry thumbs. ' +
      'Pull tabs make them easy to take off after a ride.',
  },
  {
    title: 'Packable Picnic Blanket',
    categorySlugs: ['outdoor'],
    variants: variants('BLK-PIC', 4499, [color('Mustard', 'Teal')]),
    description:
      'Soft fleece on top with a waterproof backing for damp grass and sandy beaches. ' +
      'Folds into a pouch with a leather carry strap.',
  },
])
