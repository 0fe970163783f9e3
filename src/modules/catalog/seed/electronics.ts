import { color, length, option, products, single, size, variants } from './helpers.js'

export const electronicsProducts = products([
  {
    title: 'Wireless Noise-Cancelling Headphones',
    categorySlugs: ['audio'],
    variants: variants('HPN-ANC', 34900, [color('Black', 'Silver')]),
    description:
      'Adaptive noise cancelling, 40-hour battery life and multipoint Bluetooth pairing. ' +
      'Memory-foam ear cushions stay comfortable on long-haul flights.',
  },
  {
    title: 'True Wireless Earbuds',
    categorySlugs: ['audio'],
    variants: variants('EAR-TWS', 12900, [color('Black', 'White', 'Sage')]),
    description:
      'Compact wireless earbuds with active noise cancelling and a wireless charging case. ' +
      'Six hours per charge and crisp calls with beamforming mics.',
  },
  {
    title: 'Waterproof Bluetooth Speaker',
    categorySlugs: ['audio', 'outdoor'],
    variants: variants('SPK-WTP', 7999, [color('Black', 'Blue', 'Coral')]),
    description:
      'An IP67 waterproof and dustproof speaker that floats in the pool. ' +
      'Room-filling 360-degree sound for 15 hours per charge.',
  },
  {
    title: 'Powered Bookshelf Speakers (Pair)',
    categorySlugs: ['audio'],
    variants: variants('SPK-BSF', 29900, [option('finish', 'Walnut', 'Black Oak')]),
    description:
      'Active two-way speakers with a phono input, optical in and aptX wireless streaming. ' +
      'Real wood veneer cabinets with a warm, detailed sound.',
  },
  {
    title: 'Wireless Sport Earbuds',
    categorySlugs: ['audio', 'running'],
    variants: single('EAR-SPT', 7999),
    description:
      'Secure ear hooks and a sweat-proof IPX5 rating for running and gym sessions. ' +
      'Ambient mode lets traffic noise through when you need it.',
  },
  {
    title: 'Belt-Drive Turntable',
    categorySlugs: ['audio'],
    variants: single('TRN-BLT', 24900),
    description:
      'An MDF plinth, aluminium platter and pre-mounted cartridge for plug-and-play vinyl. ' +
      'A switchable phono preamp connects to any speakers.',
  },
  {
    title: '65W USB-C GaN Charger',
    categorySlugs: ['chargers-cables'],
    variants: variants('CHG-65W', 4999, [color('White', 'Black')]),
    description:
      'Two USB-C ports and one USB-A port charge a laptop, tablet and phone at once. ' +
      'Gallium nitride keeps it half the size of a standard laptop brick.',
  },
  {
    title: 'Braided USB-C to USB-C Cable',
    categorySlugs: ['chargers-cables'],
    variants: variants('CBL-CC', 1299, [length('1 m', '2 m')], { '2 m': 300 }),
    description:
      'A nylon-braided 100 W cable rated for 20,000 bends. ' +
      'Supports fast charging and 480 Mbps data transfer.',
  },
  {
    title: 'Wireless Charging Pad',
    categorySlugs: ['chargers-cables'],
    variants: single('CHG-WLS', 2999),
    description:
      'A slim 15 W Qi2 wireless charger with a non-slip silicone top. ' +
      'A soft status light dims at night.',
  },
  {
    title: '3-in-1 Wireless Charging Stand',
    categorySlugs: ['chargers-cables'],
    variants: variants('CHG-3N1', 8999, [color('Graphite', 'Pale Grey')]),
    description:
      'Charge a phone, wireless earbuds and a smartwatch from a single cable. ' +
      'A weighted aluminium base keeps it steady on the nightstand.',
  },
  {
    title: 'Slim 20000 mAh Power Bank',
    categorySlugs: ['chargers-cables'],
    variants: single('PWR-20K', 4999),
    description:
      '20,000 mAh of capacity with 30 W USB-C power delivery in and out. ' +
      'Enough to charge a phone four times on a long weekend away.',
  },
  {
    title: 'Lightning to USB-C Cable',
    categorySlugs: ['chargers-cables'],
    variants: single('CBL-LTC', 1499),
    description:
      'An MFi-certified 1 m cable for fast charging older iPhones from a USB-C adapter. ' +
      'Reinforced strain relief at both ends.',
  },
  {
    title: 'Wireless Mechanical Keyboard',
    categorySlugs: ['computer-accessories'],
    variants: variants('KBD-MEC', 12900, [
      option('switch', 'Tactile', 'Linear'),
      option('layout', 'US', 'UK'),
    ]),
    description:
      'A 75% hot-swappable keyboard with PBT keycaps and Bluetooth or 2.4 GHz wireless. ' +
      'Pairs with three devices and lasts weeks between charges.',
  },
  {
    title: 'Ergonomic Wireless Mouse',
    categorySlugs: ['computer-accessories'],
    variants: variants('MSE-ERG', 6999, [color('Graphite', 'Pale Grey')]),
    description:
      'A sculpted shape that supports the hand in a natural handshake position. ' +
      'Silent clicks, a MagSpeed-style scroll wheel and USB-C charging.',
  },
  {
    title: 'Aluminium Laptop Stand',
    categorySlugs: ['computer-accessories'],
    variants: variants('STD-LAP', 4999, [color('Silver', 'Space Grey')]),
    description:
      'Raises your screen to eye level to ease neck strain. ' +
      'Folds flat and holds laptops from 11 to 17 inches.',
  },
  {
    title: 'USB-C Docking Station 8-in-1',
    categorySlugs: ['computer-accessories', 'chargers-cables'],
    variants: single('DCK-USB', 8999),
    description:
      'Adds HDMI 4K60, gigabit Ethernet, SD and microSD readers and three USB ports. ' +
      '100 W pass-through charging keeps the laptop topped up.',
  },
  {
    title: 'Leather Desk Mat',
    categorySlugs: ['computer-accessories'],
    variants: variants('MAT-LTH', 5999, [color('Tan', 'Black'), size('Medium', 'Large')], {
      Large: 2000,
    }),
    description:
      'Full-grain leather on a felt backing that protects the desk and glides under the mouse. ' +
      'Develops a rich patina over time.',
  },
  {
    title: '27-inch 4K USB-C Monitor',
    categorySlugs: ['computer-accessories'],
    variants: single('MON-27K', 39900),
    description:
      'An IPS panel with 98% DCI-P3 colour and a single-cable USB-C connection with 90 W ' +
      'charging. Height, tilt and swivel adjustable.',
  },
  {
    title: 'Full HD Webcam with Privacy Shutter',
    categorySlugs: ['computer-accessories'],
    variants: single('CAM-WEB', 6999),
    description:
      '1080p at 60 fps with auto light correction and dual noise-reducing microphones. ' +
      'A built-in sliding shutter covers the lens between calls.',
  },
  {
    title: 'Smart Wi-Fi Plug (2-Pack)',
    categorySlugs: ['smart-home'],
    variants: single('PLG-SMT', 2499),
    description:
      'Schedule lamps and appliances and track energy use from the app. ' +
      'Works with Matter, Alexa and Google Home with no hub required.',
  },
  {
    title: 'Smart LED Bulb E27',
    categorySlugs: ['smart-home'],
    variants: variants('BLB-E27', 1499, [option('pack', '1-Pack', '4-Pack')], { '4-Pack': 3000 }),
    description:
      'Sixteen million colours and tunable white from 2200 to 6500 K. ' +
      'Dims smoothly and follows sunrise and sunset routines.',
  },
  {
    title: 'Indoor Security Camera',
    categorySlugs: ['smart-home'],
    variants: single('CAM-SEC', 5999),
    description:
      '2K video with night vision, two-way talk and on-device person detection. ' +
      'Records locally to microSD with no subscription needed.',
  },
  {
    title: 'Smart Learning Thermostat',
    categorySlugs: ['smart-home'],
    variants: single('THM-SMT', 19900),
    description:
      'Learns your schedule and turns the heating down when the house is empty. ' +
      'Most owners see lower energy bills within the first winter.',
  },
  {
    title: 'Wireless Video Doorbell',
    categorySlugs: ['smart-home'],
    variants: variants('DBL-VID', 12900, [color('Black', 'Silver')]),
    description:
      'Battery-powered wireless doorbell with HD video, motion alerts and quick replies. ' +
      'Weatherproof housing installs in about ten minutes.',
  },
  {
    title: 'E-Reader with Warm Light',
    categorySlugs: ['electronics', 'books'],
    variants: variants('ERD-WRM', 15900, [option('storage', '16 GB', '32 GB')], { '32 GB': 2000 }),
    description:
      'A glare-free 7-inch 300 ppi screen with adjustable warm light for reading in bed. ' +
      'Waterproof to IPX8 and weeks of battery on a single charge.',
  },
])
