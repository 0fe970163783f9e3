import { color, format, option, products, single, variants } from './helpers.js'
import type { Dim } from './helpers.js'

const hardOrPaper: Dim = format('Hardcover', 'Paperback')

export const bookProducts = products([
  {
    title: 'The Salt Road',
    categorySlugs: ['fiction'],
    variants: variants('BK-SALT', 2499, [hardOrPaper], { Paperback: -1200 }),
    description:
      'A sweeping hardcover novel following three generations of salt traders across the ' +
      'Sahara. Lyrical, tense and impossible to put down.',
  },
  {
    title: 'A Quiet Harbour',
    categorySlugs: ['fiction'],
    variants: variants('BK-HARB', 2199, [hardOrPaper], { Paperback: -1000 }),
    description:
      'When a lighthouse keeper vanishes from a Cornish fishing village, his estranged daughter ' +
      'comes home to find out why. A slow-burning literary mystery.',
  },
  {
    title: 'The Last Runner',
    categorySlugs: ['fiction'],
    variants: variants('BK-RUNR', 2299, [hardOrPaper], { Paperback: -1000 }),
    description:
      'An aging marathon runner attempts one final race across the Atacama desert. ' +
      'A moving novel about endurance, grief and the reasons we keep running.',
  },
  {
    title: 'Midnight at the Corner Café',
    categorySlugs: ['fiction'],
    variants: single('BK-CAFE', 1499),
    description:
      'A cosy paperback romance set in a Paris coffee shop that only opens after dark. ' +
      'Perfect with a cup of coffee and a rainy afternoon.',
  },
  {
    title: "The Cartographer's Daughter",
    categorySlugs: ['fiction'],
    variants: variants('BK-CART', 2699, [hardOrPaper], { Paperback: -1400 }),
    description:
      'Historical fiction set in 1720s Lisbon, where a young woman secretly finishes her ' +
      "father's maps of an uncharted coast.",
  },
  {
    title: 'Glass Orchard: Stories',
    categorySlugs: ['fiction'],
    variants: single('BK-GLAS', 1899),
    description:
      'Twelve short stories about strange inheritances, small towns and the things ' +
      'families leave unsaid. A striking debut collection.',
  },
  {
    title: 'Born to Wander: Notes from the Trail',
    categorySlugs: ['non-fiction', 'hiking'],
    variants: variants('BK-WNDR', 2299, [hardOrPaper], { Paperback: -1000 }),
    description:
      'A memoir of walking 4,000 kilometres from the Pyrenees to the North Cape. ' +
      'Funny, honest and full of practical hiking wisdom.',
  },
  {
    title: 'The Coffee Atlas',
    categorySlugs: ['non-fiction', 'coffee-tea'],
    variants: single('BK-COFA', 3499),
    description:
      'A lavishly illustrated hardcover guide to coffee-growing regions, varieties and ' +
      'processing methods, with brewing guides for every origin.',
  },
  {
    title: 'The Focused Hour',
    categorySlugs: ['non-fiction'],
    variants: variants('BK-FOCS', 1999, [hardOrPaper], { Paperback: -800 }),
    description:
      'A research-backed handbook for doing deep, meaningful work in a distracted world. ' +
      'Short chapters end with exercises you can try tomorrow.',
  },
  {
    title: 'Leatherwork for Beginners',
    categorySlugs: ['non-fiction'],
    variants: single('BK-LTHR', 2499),
    description:
      'Step-by-step projects from a key fob to a leather wallet and a tote, with photos of ' +
      'every stitch. Covers tools, cutting, saddle stitching and edge finishing.',
  },
  {
    title: 'A Short History of the Bicycle',
    categorySlugs: ['non-fiction', 'cycling'],
    variants: single('BK-BIKE', 1799),
    description:
      'From the dandy horse to carbon race frames, an entertaining history of the machine that ' +
      "changed cities and women's freedom.",
  },
  {
    title: 'Running Smarter: Training for Every Distance',
    categorySlugs: ['non-fiction', 'running'],
    variants: single('BK-RUNS', 2199),
    description:
      'Training plans for 5K to marathon, strength routines and injury prevention from a ' +
      'former Olympic coach. Written for new runners and seasoned racers alike.',
  },
  {
    title: 'Salt & Smoke: A Grilling Cookbook',
    categorySlugs: ['cookbooks'],
    variants: single('BK-GRIL', 2999),
    description:
      'Eighty recipes for charcoal, wood fire and gas grills, from smoked brisket to charred ' +
      'leeks with romesco. Includes a guide to building a two-zone fire.',
  },
  {
    title: 'The Weeknight Vegetarian',
    categorySlugs: ['cookbooks'],
    variants: single('BK-VEGG', 2499),
    description:
      'One hundred vegetable-forward dinners that come together in thirty minutes or less. ' +
      'Every recipe includes a vegan swap.',
  },
  {
    title: 'Bread Every Day',
    categorySlugs: ['cookbooks'],
    variants: single('BK-BRED', 2799),
    description:
      "A baker's guide to sourdough, focaccia, bagels and enriched doughs, with a " +
      'troubleshooting chapter for flat loaves and dense crumbs.',
  },
  {
    title: 'The Cast Iron Kitchen',
    categorySlugs: ['cookbooks', 'cookware'],
    variants: single('BK-CAST', 2299),
    description:
      'Seasoning, care and more than sixty recipes for skillet pizza, cornbread and pan-roasted ' +
      'chicken. The only cast iron cookbook you will need.',
  },
  {
    title: 'Otto the Otter Goes Camping',
    categorySlugs: ['childrens-books'],
    variants: variants('BK-OTTO', 1299, [format('Hardcover', 'Board Book')], {
      'Board Book': -300,
    }),
    description:
      'Otto packs his tent, his torch and far too many snacks for his first night under the ' +
      'stars. A gentle bedtime story for ages 2 to 5.',
  },
  {
    title: 'The Moon in My Pocket',
    categorySlugs: ['childrens-books'],
    variants: single('BK-MOON', 1499),
    description:
      'A picture book about a girl who borrows the moon for one night and learns to share it. ' +
      'Dreamy watercolour illustrations on every page.',
  },
  {
    title: 'Pip and the Puddle Day',
    categorySlugs: ['childrens-books'],
    variants: single('BK-PIPP', 1199),
    description:
      'Pip pulls on her waterproof boots and discovers that rainy days are the best days of ' +
      'all. A joyful read-aloud for toddlers.',
  },
  {
    title: 'Dinosaur Sticker Atlas',
    categorySlugs: ['childrens-books'],
    variants: single('BK-DINO', 599),
    description:
      'Over 300 reusable stickers and fold-out maps of the prehistoric world. ' +
      'Keeps young palaeontologists busy on long car journeys.',
  },
  {
    title: 'Handmade Leather Bookmark',
    categorySlugs: ['books'],
    variants: variants('BK-BMRK', 999, [color('Tan', 'Oxblood')]),
    description:
      'A slim vegetable-tanned leather bookmark with a hand-burnished edge. ' +
      'A small gift for every reader.',
  },
  {
    title: 'Mystery Book Box',
    categorySlugs: ['books'],
    variants: variants('BK-MYST', 3999, [option('genre', 'Fiction', 'Non-Fiction')]),
    description:
      'Three hand-picked books from our booksellers, gift-wrapped and sealed with a note. ' +
      'Tell us the genre and let us surprise you.',
  },
])
