import { color, option, products, single, size, variants } from './helpers.js'

export const apparelProducts = products([
  {
    title: 'Organic Cotton Crew Tee',
    categorySlugs: ['t-shirts'],
    variants: variants('TEE-ORG', 2499, [color('Black', 'White'), size('S', 'M', 'L')]),
    description:
      'A midweight crew neck tee knitted from GOTS-certified organic cotton. ' +
      'Pre-shrunk, with a taped neckline that keeps its shape wash after wash.',
  },
  {
    title: 'Heavyweight Pocket Tee',
    categorySlugs: ['t-shirts'],
    variants: variants('TEE-HWP', 2999, [color('Oatmeal', 'Forest'), size('M', 'L', 'XL')]),
    description:
      'Boxy 240 gsm jersey with a chest pocket and double-stitched hems. ' +
      'Garment-dyed for a soft, lived-in hand from the very first wear.',
  },
  {
    title: 'Merino Wool Running Tee',
    categorySlugs: ['t-shirts', 'running'],
    variants: variants('TEE-MER', 5900, [size('S', 'M', 'L', 'XL')]),
    description:
      'Lightweight 150 gsm merino that regulates temperature on long runs and resists odour. ' +
      'Flatlock seams prevent chafing mile after mile.',
  },
  {
    title: 'Linen Blend Henley',
    categorySlugs: ['t-shirts'],
    variants: variants('TEE-HEN', 3999, [color('Sand', 'Slate'), size('M', 'L')]),
    description:
      'A breezy three-button henley in a linen and cotton blend. ' +
      'Perfect for warm evenings, it softens further with every wash.',
  },
  {
    title: 'Coffee First Graphic Tee',
    categorySlugs: ['t-shirts'],
    variants: variants('TEE-COF', 2299, [size('S', 'M', 'L', 'XL', 'XXL')], { XXL: 200 }),
    description:
      'Screen-printed by hand with water-based inks for everyone who needs coffee before ' +
      'conversation. Regular fit, 100% ring-spun cotton.',
  },
  {
    title: 'Striped Breton Long Sleeve Shirt',
    categorySlugs: ['t-shirts'],
    variants: variants('TEE-BRT', 3499, [size('XS', 'S', 'M', 'L')]),
    description:
      'The classic navy and ecru marinière, cut from dense cotton interlock with a boat neck. ' +
      'Made in Portugal in a family-run knitting mill.',
  },
  {
    title: 'Recycled Fleece Pullover Hoodie',
    categorySlugs: ['hoodies'],
    variants: variants('HOD-REC', 5999, [color('Heather Grey', 'Black'), size('S', 'M', 'L')]),
    description:
      'Brushed-back fleece spun from recycled bottles and organic cotton. ' +
      'Features a lined hood, kangaroo pocket and ribbed cuffs.',
  },
  {
    title: 'Organic Cotton Zip Hoodie',
    categorySlugs: ['hoodies'],
    variants: variants('HOD-ZIP', 6999, [size('S', 'M', 'L', 'XL')], { XL: 300 }),
    description:
      'A full-zip loopback hoodie with a metal YKK zipper and split kangaroo pockets. ' +
      'Heavy enough for autumn, light enough to pack.',
  },
  {
    title: 'Brushed Crewneck Sweatshirt',
    categorySlugs: ['hoodies'],
    variants: variants('SWT-CRW', 4999, [color('Navy', 'Clay', 'Ecru')]),
    description:
      'A cosy crewneck sweatshirt with a brushed interior and raglan sleeves. ' +
      'One relaxed size that suits most frames.',
  },
  {
    title: 'Oversized Heavyweight Hoodie',
    categorySlugs: ['hoodies', 'apparel'],
    variants: variants('HOD-OVR', 7900, [size('M', 'L', 'XL')]),
    description:
      'Dropped shoulders, a double-layer hood and 450 gsm French terry. ' +
      'Built to be worn for a decade, not a season.',
  },
  {
    title: 'Waterproof Rain Shell Jacket',
    categorySlugs: ['outerwear', 'hiking'],
    variants: variants('JKT-RAIN', 12900, [color('Black', 'Olive'), size('S', 'M', 'L')]),
    description:
      'A fully seam-taped, waterproof and breathable 2.5-layer shell with pit zips. ' +
      'Packs into its own chest pocket for hiking and city commutes alike.',
  },
  {
    title: 'Waxed Cotton Field Jacket',
    categorySlugs: ['outerwear'],
    variants: variants('JKT-WAX', 18900, [size('S', 'M', 'L', 'XL')]),
    description:
      'British waxed cotton with a corduroy collar, four bellows pockets and a tartan lining. ' +
      'Re-wax once a year and it will shrug off rain for decades.',
  },
  {
    title: 'Lightweight Down Vest',
    categorySlugs: ['outerwear'],
    variants: variants('VST-DWN', 8999, [color('Navy', 'Rust'), size('M', 'L')]),
    description:
      'Responsibly sourced 700-fill down in a water-repellent ripstop shell. ' +
      'Layer it under a coat or wear it alone on crisp mornings.',
  },
  {
    title: 'Wool Blend Overcoat',
    categorySlugs: ['outerwear'],
    variants: variants('COT-WOL', 24900, [color('Charcoal', 'Camel'), size('M', 'L')]),
    description:
      'A single-breasted overcoat in Italian wool and cashmere with a half-canvas front. ' +
      'Falls just above the knee for a clean, tailored line.',
  },
  {
    title: 'Full-Grain Leather Chelsea Boots',
    categorySlugs: ['footwear'],
    variants: variants('BOT-CHL', 18900, [
      color('Dark Brown', 'Black'),
      size('EU 41', 'EU 42', 'EU 43'),
    ]),
    description:
      'Goodyear-welted Chelsea boots in full-grain leather with elastic side panels. ' +
      'Resoleable, so the leather ages beautifully for years.',
  },
  {
    title: 'Canvas Low-Top Sneakers',
    categorySlugs: ['footwear'],
    variants: variants('SNK-CNV', 6999, [
      size('EU 38', 'EU 39', 'EU 40', 'EU 41', 'EU 42', 'EU 43'),
    ]),
    description:
      'Minimal organic canvas sneakers on a natural rubber sole. ' +
      'Cushioned cork footbed and waxed cotton laces.',
  },
  {
    title: 'Waterproof Leather Hiking Boots',
    categorySlugs: ['footwear', 'hiking'],
    variants: variants('BOT-HIK', 15900, [size('EU 40', 'EU 41', 'EU 42', 'EU 43', 'EU 44')]),
    description:
      'Nubuck leather uppers with a waterproof membrane and a grippy Vibram outsole. ' +
      'Supportive enough for multi-day hikes with a loaded pack.',
  },
  {
    title: 'Trail Running Shoes',
    categorySlugs: ['running', 'footwear'],
    variants: variants('SHO-TRL', 13900, [
      color('Volt', 'Graphite'),
      size('EU 41', 'EU 42', 'EU 43'),
    ]),
    description:
      'Aggressive 5 mm lugs and a rock plate for technical trail running. ' +
      'A breathable mesh upper drains quickly after stream crossings.',
  },
  {
    title: 'Shearling Wool Slippers',
    categorySlugs: ['footwear'],
    variants: variants('SLP-WOL', 4999, [size('S', 'M', 'L')]),
    description:
      'Felted wool slippers lined with soft shearling and finished with a suede sole. ' +
      'Warm on cold floors without overheating.',
  },
  {
    title: 'Leather Bifold Wallet',
    categorySlugs: ['accessories'],
    variants: variants('WAL-BIF', 5900, [color('Tan', 'Black')]),
    description:
      'Vegetable-tanned leather wallet with six card slots and a full-length note pocket. ' +
      'Hand-stitched with waxed linen thread.',
  },
  {
    title: 'Classic Leather Belt',
    categorySlugs: ['accessories'],
    variants: variants('BLT-LTH', 4500, [size('85 cm', '90 cm', '95 cm', '100 cm')]),
    description:
      'A 35 mm belt cut from a single strip of bridle leather with a solid brass buckle. ' +
      'Gets better with age and outlasts any bonded alternative.',
  },
  {
    title: 'Waxed Canvas Tote Bag',
    categorySlugs: ['accessories'],
    variants: single('BAG-TOT', 7900),
    description:
      'A roomy tote in water-resistant waxed canvas with leather handles and an inner zip ' +
      'pocket. Fits a 15-inch laptop and the weekly shop.',
  },
  {
    title: 'Ribbed Merino Beanie',
    categorySlugs: ['accessories'],
    variants: variants('HAT-BNE', 2999, [color('Charcoal', 'Mustard', 'Navy')]),
    description:
      'Extra-fine merino knitted in a deep rib with a fold-over cuff. ' +
      'Itch-free, warm and easy to stash in a pocket.',
  },
  {
    title: 'Organic Cotton Socks 3-Pack',
    categorySlugs: ['accessories'],
    variants: variants('SOK-3PK', 1499, [option('size', '36-40', '41-45')]),
    description:
      'Three pairs of everyday socks in combed organic cotton with a reinforced heel and toe. ' +
      'Mixed colours in every pack.',
  },
])
