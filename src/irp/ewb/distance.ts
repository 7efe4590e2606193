/**
 * PIN-to-PIN distances for e-way bills. NIC computes the "system distance" from its own PIN master,
 * which is not public (RECORD.md §2 notes: declared distance within ±10 % of it; distance 0 → the
 * system distance; same PIN → 1–100 km; at most 4000 km). Without that master the sandbox estimates:
 *
 * - different 2-digit PIN prefixes (postal circles / regions): the great-circle distance between the
 *   approximate centroids of the two regions in {@link PIN_REGION_CENTROIDS}, times a road factor of 1.3
 *   (NIC's own sample route 193501 → 500055, reported as 2467 km, comes out at 2459 km);
 * - the same 2-digit prefix: a deterministic synthetic distance, symmetric and growing with how much of
 *   the PIN differs (5–99 km within a 3-digit sorting district, 50–299 km within a region);
 * - a prefix not in the table (9x: the Army Postal Service): no estimate.
 *
 * The estimate is reported, and only enforced (±10 %) in the sandbox's strict mode.
 */
import { createHash } from 'node:crypto';

/**
 * Approximate centroid (latitude, longitude in degrees) of each 2-digit PIN prefix, placed at the main
 * city or the middle of the districts the prefix serves. Written for this project from the public
 * allocation of PIN prefixes to postal circles (1x Delhi/Haryana/Punjab/HP/J&K, 2x UP/Uttarakhand,
 * 3x Rajasthan/Gujarat, 4x Maharashtra/MP/Chhattisgarh, 5x Telangana/AP/Karnataka, 6x Tamil Nadu/Kerala,
 * 7x West Bengal/Odisha/North East, 8x Bihar/Jharkhand); accurate to tens of kilometres, not NIC's.
 */
export const PIN_REGION_CENTROIDS: Readonly<Record<string, readonly [number, number]>> = {
  '11': [28.61, 77.21], // Delhi
  '12': [28.9, 76.6], // Haryana: Gurugram, Rohtak
  '13': [30.0, 76.9], // Haryana: Ambala, Karnal, Kurukshetra
  '14': [31.0, 75.6], // Punjab: Ludhiana, Jalandhar, Amritsar
  '15': [30.3, 74.9], // Punjab: Bathinda, Ferozepur
  '16': [30.73, 76.78], // Chandigarh, Mohali
  '17': [31.6, 77.0], // Himachal Pradesh: Shimla, Mandi
  '18': [32.73, 74.86], // Jammu
  '19': [34.08, 74.8], // Kashmir and Ladakh: Srinagar
  '20': [28.0, 78.1], // Uttar Pradesh: Ghaziabad, Aligarh, Etawah
  '21': [25.4, 81.8], // Uttar Pradesh: Prayagraj, Banda
  '22': [26.5, 82.0], // Uttar Pradesh: Lucknow, Ayodhya, Varanasi
  '23': [25.5, 83.0], // Uttar Pradesh: Mirzapur, Ghazipur
  '24': [29.0, 79.0], // Uttar Pradesh / Uttarakhand: Moradabad, Bareilly, Dehradun
  '25': [29.2, 77.7], // Uttar Pradesh: Meerut, Muzaffarnagar
  '26': [29.5, 79.6], // Uttarakhand: Nainital, Almora
  '27': [26.8, 83.0], // Uttar Pradesh: Gorakhpur, Basti
  '28': [27.2, 78.0], // Uttar Pradesh: Agra, Mathura
  '30': [26.9, 75.8], // Rajasthan: Jaipur
  '31': [24.9, 74.3], // Rajasthan: Udaipur, Bhilwara, Chittorgarh
  '32': [25.2, 75.9], // Rajasthan: Kota
  '33': [28.0, 73.3], // Rajasthan: Bikaner, Sri Ganganagar
  '34': [26.3, 73.0], // Rajasthan: Jodhpur, Barmer
  '36': [22.3, 70.8], // Gujarat: Rajkot, Jamnagar, Bhavnagar
  '37': [23.2, 69.7], // Gujarat: Kutch
  '38': [23.0, 72.6], // Gujarat: Ahmedabad, Gandhinagar
  '39': [22.0, 73.1], // Gujarat: Vadodara, Surat
  '40': [19.1, 72.9], // Maharashtra: Mumbai, Thane; Goa
  '41': [18.5, 73.9], // Maharashtra: Pune
  '42': [20.0, 74.0], // Maharashtra: Nashik, Dhule
  '43': [19.9, 75.3], // Maharashtra: Aurangabad, Nanded
  '44': [21.1, 79.1], // Maharashtra: Nagpur, Amravati
  '45': [22.7, 75.9], // Madhya Pradesh: Indore, Ujjain
  '46': [23.3, 77.4], // Madhya Pradesh: Bhopal
  '47': [25.0, 78.5], // Madhya Pradesh: Gwalior, Sagar
  '48': [23.2, 80.0], // Madhya Pradesh: Jabalpur, Rewa
  '49': [21.3, 81.6], // Chhattisgarh: Raipur, Bilaspur
  '50': [17.39, 78.49], // Telangana: Hyderabad
  '51': [15.3, 78.0], // Andhra Pradesh: Kurnool, Anantapur, Kadapa
  '52': [16.3, 80.4], // Andhra Pradesh: Vijayawada, Guntur, Nellore
  '53': [17.3, 82.5], // Andhra Pradesh: Visakhapatnam, Rajahmundry
  '56': [12.97, 77.59], // Karnataka: Bengaluru
  '57': [12.6, 75.8], // Karnataka: Mysuru, Mangaluru
  '58': [15.4, 75.1], // Karnataka: Hubballi, Kalaburagi
  '59': [15.85, 74.5], // Karnataka: Belagavi
  '60': [13.08, 80.27], // Tamil Nadu: Chennai
  '61': [11.5, 79.5], // Tamil Nadu: Cuddalore, Thanjavur; Puducherry
  '62': [10.3, 78.4], // Tamil Nadu: Tiruchirappalli, Madurai
  '63': [12.0, 78.5], // Tamil Nadu: Salem, Vellore
  '64': [11.0, 77.0], // Tamil Nadu: Coimbatore, Erode
  '67': [11.3, 75.9], // Kerala: Kozhikode, Kannur, Palakkad
  '68': [9.9, 76.4], // Kerala: Kochi, Kottayam
  '69': [8.7, 76.8], // Kerala: Thiruvananthapuram, Kollam
  '70': [22.57, 88.36], // West Bengal: Kolkata
  '71': [22.8, 88.0], // West Bengal: Howrah, Hooghly, Bardhaman
  '72': [22.8, 87.2], // West Bengal: Medinipur, Bankura, Purulia
  '73': [25.5, 88.3], // West Bengal: Siliguri, Malda; Sikkim
  '74': [23.0, 88.5], // West Bengal: Nadia, Murshidabad
  '75': [20.3, 85.8], // Odisha: Bhubaneswar, Cuttack
  '76': [20.0, 84.0], // Odisha: Berhampur, Koraput
  '77': [21.5, 84.0], // Odisha: Sambalpur, Sundargarh
  '78': [26.14, 91.74], // Assam: Guwahati
  '79': [25.0, 93.0], // North East: Shillong, Imphal, Agartala, Aizawl, Kohima, Itanagar
  '80': [25.59, 85.14], // Bihar: Patna
  '81': [25.0, 86.5], // Bihar / Jharkhand: Bhagalpur, Munger, Deoghar
  '82': [24.2, 85.5], // Bihar / Jharkhand: Gaya, Hazaribagh, Dhanbad
  '83': [23.3, 85.6], // Jharkhand: Ranchi, Jamshedpur
  '84': [26.1, 85.4], // Bihar: Muzaffarpur, Darbhanga
  '85': [25.8, 87.0], // Bihar: Purnia, Saharsa
};

/** Roads are longer than the great circle; 1.3 reproduces NIC's sample route. */
export const ROAD_FACTOR = 1.3;

function greatCircleKm(
  [lat1, lon1]: readonly [number, number],
  [lat2, lon2]: readonly [number, number],
): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

function spread(a: number, b: number): number {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return createHash('sha256').update(`${lo}-${hi}`).digest().readUInt32BE(0);
}

/**
 * The sandbox's estimate of the road distance between two PINs, in whole kilometres; undefined for the
 * same PIN (the sender must state 1–100 km) and where a prefix is not in the table.
 */
export function pinToPinDistanceKm(fromPin: number, toPin: number): number | undefined {
  if (fromPin === toPin) return undefined;
  const [a, b] = [String(fromPin), String(toPin)];
  if (a.length !== 6 || b.length !== 6) return undefined;
  const h = spread(fromPin, toPin);
  if (a.slice(0, 3) === b.slice(0, 3)) return 5 + (h % 95);
  if (a.slice(0, 2) === b.slice(0, 2)) return 50 + (h % 250);
  const from = PIN_REGION_CENTROIDS[a.slice(0, 2)];
  const to = PIN_REGION_CENTROIDS[b.slice(0, 2)];
  if (!from || !to) return undefined;
  return Math.max(50, Math.round(greatCircleKm(from, to) * ROAD_FACTOR));
}
