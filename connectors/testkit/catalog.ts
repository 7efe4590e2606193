/**
 * Reference data for generated events: products with real HSN/SAC codes and their GST (and cess)
 * rates as of FY 2024-25, and places whose PINs fall in their state's PIN range (masters). Generated
 * documents are dated in FY 2024-25 so the pre-September-2025 rate slabs apply.
 */

export interface Product {
  code: string;
  name: string;
  hsn: string;
  service: boolean;
  /** The IRP unit; each ERP renders its own unit code for it. */
  uqc: string;
  gstRate: string;
  /** Compensation cess, ad valorem (percent). */
  cessRate?: string;
  /** Compensation cess, specific (₹ per unit of `uqc`). */
  cessPerUnit?: string;
  /** Typical price band, ₹ per unit. */
  price: [number, number];
  /** Typical quantity band. */
  qty: [number, number];
  qtyDecimals?: number;
  barcode?: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    code: 'FG-1001',
    name: 'Hex bolt M10 x 50 zinc plated',
    hsn: '73181500',
    service: false,
    uqc: 'NOS',
    gstRate: '18',
    price: [4, 12],
    qty: [100, 5000],
    barcode: '8901234500011',
  },
  {
    code: 'FG-1002',
    name: 'Basmati rice 25 kg bag',
    hsn: '10063020',
    service: false,
    uqc: 'BAG',
    gstRate: '5',
    price: [1800, 2600],
    qty: [5, 200],
  },
  {
    code: 'FG-1003',
    name: 'Refined sunflower oil 1 L bottle',
    hsn: '15121910',
    service: false,
    uqc: 'BTL',
    gstRate: '5',
    price: [120, 180],
    qty: [24, 960],
  },
  {
    code: 'FG-1004',
    name: 'LED bulb 9 W B22',
    hsn: '85395000',
    service: false,
    uqc: 'PCS',
    gstRate: '12',
    price: [55, 120],
    qty: [50, 2000],
    barcode: '8906001234567',
  },
  {
    code: 'FG-1005',
    name: 'Cotton round-neck T-shirt',
    hsn: '61091000',
    service: false,
    uqc: 'PCS',
    gstRate: '5',
    price: [180, 650],
    qty: [20, 600],
  },
  {
    code: 'FG-1006',
    name: 'OPC 53 grade cement 50 kg',
    hsn: '25232930',
    service: false,
    uqc: 'BAG',
    gstRate: '28',
    price: [330, 420],
    qty: [50, 800],
  },
  {
    code: 'FG-1007',
    name: 'Aerated soft drink 300 ml',
    hsn: '22021010',
    service: false,
    uqc: 'BTL',
    gstRate: '28',
    cessRate: '12',
    price: [18, 30],
    qty: [96, 2400],
  },
  {
    code: 'FG-1008',
    name: 'Passenger car 1197 cc petrol',
    hsn: '87032291',
    service: false,
    uqc: 'NOS',
    gstRate: '28',
    cessRate: '1',
    price: [520000, 780000],
    qty: [1, 4],
  },
  {
    code: 'FG-1009',
    name: 'Filter cigarettes 69 mm',
    hsn: '24022020',
    service: false,
    uqc: 'THD',
    gstRate: '28',
    cessRate: '5',
    cessPerUnit: '2076',
    price: [4200, 5200],
    qty: [1, 40],
  },
  {
    code: 'FG-1010',
    name: 'Copper building wire 2.5 sq mm',
    hsn: '74081990',
    service: false,
    uqc: 'MTR',
    gstRate: '18',
    price: [28, 45],
    qty: [90, 3000],
  },
  {
    code: 'FG-1011',
    name: 'Laptop computer 14 inch i5',
    hsn: '84713010',
    service: false,
    uqc: 'NOS',
    gstRate: '18',
    price: [42000, 78000],
    qty: [1, 40],
  },
  {
    code: 'FG-1012',
    name: 'Copier paper A4 75 gsm ream',
    hsn: '48025690',
    service: false,
    uqc: 'PAC',
    gstRate: '12',
    price: [240, 320],
    qty: [10, 500],
  },
  {
    code: 'FG-1013',
    name: 'Paracetamol 500 mg tablets strip of 10',
    hsn: '30049099',
    service: false,
    uqc: 'BOX',
    gstRate: '12',
    price: [18, 40],
    qty: [100, 3000],
  },
  {
    code: 'FG-1014',
    name: 'Gold jewellery 22 carat',
    hsn: '71131910',
    service: false,
    uqc: 'GMS',
    gstRate: '3',
    price: [6100, 7200],
    qty: [10, 500],
    qtyDecimals: 3,
  },
  {
    code: 'FG-1015',
    name: 'Cut and polished diamonds',
    hsn: '71023910',
    service: false,
    uqc: 'OTH',
    gstRate: '0.25',
    price: [45000, 180000],
    qty: [1, 20],
    qtyDecimals: 2,
  },
  {
    code: 'FG-1016',
    name: 'Refined sugar S-30',
    hsn: '17019990',
    service: false,
    uqc: 'QTL',
    gstRate: '5',
    price: [3600, 4200],
    qty: [5, 250],
    qtyDecimals: 2,
  },
  {
    code: 'FG-1017',
    name: 'Engine oil 15W-40',
    hsn: '27101980',
    service: false,
    uqc: 'LTR',
    gstRate: '18',
    price: [240, 380],
    qty: [20, 2100],
    qtyDecimals: 1,
  },
  {
    code: 'FG-1018',
    name: 'Vitrified floor tiles 600 x 600',
    hsn: '69072100',
    service: false,
    uqc: 'SQM',
    gstRate: '18',
    price: [380, 900],
    qty: [20, 1500],
    qtyDecimals: 2,
  },
  {
    code: 'FG-1019',
    name: 'PVC pipe 110 mm 6 m length',
    hsn: '39172390',
    service: false,
    uqc: 'MTR',
    gstRate: '18',
    price: [140, 260],
    qty: [60, 1200],
  },
  {
    code: 'FG-1020',
    name: 'Leather formal shoes',
    hsn: '64035990',
    service: false,
    uqc: 'PRS',
    gstRate: '18',
    price: [1200, 3600],
    qty: [6, 240],
  },
  {
    code: 'FG-1021',
    name: 'Exterior emulsion paint 20 L',
    hsn: '32091090',
    service: false,
    uqc: 'DRM',
    gstRate: '18',
    price: [5200, 8800],
    qty: [2, 60],
  },
  {
    code: 'FG-1022',
    name: 'Steel TMT bars Fe 500D',
    hsn: '72142090',
    service: false,
    uqc: 'MTS',
    gstRate: '18',
    price: [52000, 61000],
    qty: [1, 30],
    qtyDecimals: 3,
  },
  {
    code: 'FG-1023',
    name: 'Cotton fabric greige 60 in',
    hsn: '52081190',
    service: false,
    uqc: 'MTR',
    gstRate: '5',
    price: [45, 95],
    qty: [200, 8000],
    qtyDecimals: 1,
  },
  {
    code: 'FG-1024',
    name: 'Corrugated cartons 5 ply',
    hsn: '48191010',
    service: false,
    uqc: 'CTN',
    gstRate: '12',
    price: [35, 80],
    qty: [100, 5000],
  },
  {
    code: 'SV-2001',
    name: 'IT consulting services',
    hsn: '998313',
    service: true,
    uqc: 'OTH',
    gstRate: '18',
    price: [1800, 4500],
    qty: [8, 320],
  },
  {
    code: 'SV-2002',
    name: 'Annual maintenance contract',
    hsn: '998719',
    service: true,
    uqc: 'NOS',
    gstRate: '18',
    price: [25000, 240000],
    qty: [1, 1],
  },
  {
    code: 'SV-2003',
    name: 'Software subscription licence',
    hsn: '997331',
    service: true,
    uqc: 'NOS',
    gstRate: '18',
    price: [900, 2400],
    qty: [5, 500],
  },
  {
    code: 'SV-2004',
    name: 'Goods transport agency service',
    hsn: '996511',
    service: true,
    uqc: 'NOS',
    gstRate: '5',
    price: [8000, 65000],
    qty: [1, 3],
  },
];

export interface Place {
  stateCode: string;
  city: string;
  pin: number;
  street: string;
}

export const PLACES: readonly Place[] = [
  { stateCode: '29', city: 'Bengaluru', pin: 560058, street: 'Peenya Industrial Area, 2nd Phase' },
  { stateCode: '29', city: 'Mysuru', pin: 570016, street: 'Hebbal Industrial Area' },
  { stateCode: '27', city: 'Mumbai', pin: 400093, street: 'MIDC Andheri East, Road No 7' },
  { stateCode: '27', city: 'Pune', pin: 411019, street: 'Bhosari MIDC, J Block' },
  { stateCode: '27', city: 'Nagpur', pin: 440016, street: 'Hingna MIDC' },
  { stateCode: '07', city: 'New Delhi', pin: 110020, street: 'Okhla Industrial Estate Phase III' },
  { stateCode: '33', city: 'Chennai', pin: 600058, street: 'Ambattur Industrial Estate' },
  { stateCode: '33', city: 'Coimbatore', pin: 641021, street: 'SIDCO Industrial Estate, Kurichi' },
  { stateCode: '24', city: 'Ahmedabad', pin: 382445, street: 'GIDC Vatva Phase IV' },
  { stateCode: '24', city: 'Surat', pin: 394221, street: 'Sachin GIDC, Road No 2' },
  { stateCode: '09', city: 'Noida', pin: 201301, street: 'Sector 63, Block C' },
  { stateCode: '09', city: 'Lucknow', pin: 226008, street: 'Talkatora Industrial Estate' },
  { stateCode: '19', city: 'Kolkata', pin: 700088, street: 'Taratala Industrial Area' },
  { stateCode: '36', city: 'Hyderabad', pin: 500037, street: 'IDA Balanagar' },
  { stateCode: '06', city: 'Gurugram', pin: 122015, street: 'Udyog Vihar Phase IV' },
  { stateCode: '08', city: 'Jaipur', pin: 302013, street: 'VKI Area, Road No 14' },
  { stateCode: '32', city: 'Kochi', pin: 682021, street: 'Kakkanad Industrial Development Area' },
  { stateCode: '04', city: 'Chandigarh', pin: 160002, street: 'Industrial Area Phase I' },
  { stateCode: '23', city: 'Indore', pin: 452015, street: 'Sanwer Road Industrial Area' },
  { stateCode: '03', city: 'Ludhiana', pin: 141010, street: 'Focal Point Phase V' },
  { stateCode: '21', city: 'Bhubaneswar', pin: 751010, street: 'Mancheswar Industrial Estate' },
  { stateCode: '37', city: 'Visakhapatnam', pin: 530012, street: 'Autonagar Industrial Estate' },
  { stateCode: '30', city: 'Verna', pin: 403722, street: 'Verna Industrial Estate' },
  { stateCode: '26', city: 'Silvassa', pin: 396230, street: 'Masat Industrial Area' },
  { stateCode: '10', city: 'Patna', pin: 800013, street: 'Patliputra Industrial Area' },
  { stateCode: '18', city: 'Guwahati', pin: 781022, street: 'Bamunimaidan Industrial Estate' },
  { stateCode: '05', city: 'Haridwar', pin: 249403, street: 'SIDCUL Integrated Industrial Estate' },
  { stateCode: '20', city: 'Jamshedpur', pin: 831013, street: 'Adityapur Industrial Area' },
  { stateCode: '22', city: 'Raipur', pin: 493221, street: 'Urla Industrial Area' },
  { stateCode: '02', city: 'Baddi', pin: 173205, street: 'EPIP Phase I, Jharmajri' },
];

/** Special economic zones, for SEZ recipients. */
export const SEZ_PLACES: readonly Place[] = [
  { stateCode: '24', city: 'Mundra', pin: 370421, street: 'Adani Ports SEZ, Navinal Island' },
  { stateCode: '33', city: 'Sriperumbudur', pin: 602105, street: 'Nokia Telecom SEZ' },
  { stateCode: '29', city: 'Bengaluru', pin: 560103, street: 'Manyata Embassy Business Park SEZ' },
];

export interface ForeignBuyer {
  name: string;
  addr1: string;
  city: string;
  country: string;
  currency: string;
  port: string;
}

export const FOREIGN_BUYERS: readonly ForeignBuyer[] = [
  {
    name: 'Gulf Star Trading LLC',
    addr1: 'Jebel Ali Free Zone, Plot S30104',
    city: 'Dubai',
    country: 'AE',
    currency: 'AED',
    port: 'INNSA1',
  },
  {
    name: 'Midwest Industrial Supply Inc',
    addr1: '4100 Commerce Drive',
    city: 'Chicago',
    country: 'US',
    currency: 'USD',
    port: 'INMAA1',
  },
  {
    name: 'Hanse Maschinenbau GmbH',
    addr1: 'Grosse Elbstrasse 42',
    city: 'Hamburg',
    country: 'DE',
    currency: 'EUR',
    port: 'INMUN1',
  },
  {
    name: 'Lion City Components Pte Ltd',
    addr1: '8 Tuas Avenue 20',
    city: 'Singapore',
    country: 'SG',
    currency: 'SGD',
    port: 'INBLR4',
  },
];

/** Port addresses for export ship-to (the IRP wants the port of export there, 2236). */
export const PORT_ADDRESSES: Readonly<Record<string, Place>> = {
  INNSA1: { stateCode: '27', city: 'Navi Mumbai', pin: 400707, street: 'Jawaharlal Nehru Port, Sheva' },
  INMAA1: { stateCode: '33', city: 'Chennai', pin: 600001, street: 'Chennai Port, Rajaji Salai' },
  INMUN1: { stateCode: '24', city: 'Mundra', pin: 370421, street: 'Mundra Port, Navinal Island' },
  INBLR4: {
    stateCode: '29',
    city: 'Bengaluru',
    pin: 560300,
    street: 'Kempegowda International Airport Cargo Terminal',
  },
};

export const NAME_PARTS = {
  first: [
    'Shree',
    'Bharat',
    'Sai',
    'Ganesh',
    'Sahyadri',
    'Kaveri',
    'Narmada',
    'Himalaya',
    'Deccan',
    'Coromandel',
    'Konark',
    'Vindhya',
    'Malabar',
    'Aravalli',
    'Ganga',
    'Indus',
  ],
  second: [
    'Steel',
    'Agro',
    'Polymers',
    'Textiles',
    'Electricals',
    'Foods',
    'Pharma',
    'Infotech',
    'Traders',
    'Engineering',
    'Packaging',
    'Motors',
    'Chemicals',
    'Ceramics',
  ],
  suffix: ['Private Limited', 'Limited', 'LLP', 'Industries Private Limited', 'Enterprises'],
};
