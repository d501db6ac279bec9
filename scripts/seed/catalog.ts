/** A payer and how it behaves: its share of claims, denial rate and allowed/billed ratio. */
export interface Payer {
  readonly name: string
  readonly weight: number
  readonly denialRate: number
  readonly allowedRatio: number
}

/** A dozen real-sounding payers, with plausible differences in behaviour. */
export const PAYERS: readonly Payer[] = [
  { name: 'Medicare', weight: 22, denialRate: 0.07, allowedRatio: 0.42 },
  { name: 'Medicaid', weight: 12, denialRate: 0.13, allowedRatio: 0.35 },
  { name: 'UnitedHealthcare', weight: 14, denialRate: 0.11, allowedRatio: 0.58 },
  { name: 'Blue Cross Blue Shield', weight: 13, denialRate: 0.08, allowedRatio: 0.62 },
  { name: 'Aetna', weight: 9, denialRate: 0.1, allowedRatio: 0.6 },
  { name: 'Cigna', weight: 7, denialRate: 0.12, allowedRatio: 0.57 },
  { name: 'Humana', weight: 6, denialRate: 0.09, allowedRatio: 0.5 },
  { name: 'Kaiser Permanente', weight: 4, denialRate: 0.05, allowedRatio: 0.55 },
  { name: 'Anthem', weight: 5, denialRate: 0.1, allowedRatio: 0.59 },
  { name: 'Molina Healthcare', weight: 3, denialRate: 0.15, allowedRatio: 0.38 },
  { name: 'Centene', weight: 3, denialRate: 0.14, allowedRatio: 0.4 },
  { name: 'TRICARE', weight: 2, denialRate: 0.06, allowedRatio: 0.48 },
]

/** A procedure code with a typical billed amount in USD. */
export interface Procedure {
  readonly code: string
  readonly price: number
  readonly weight: number
}

/** Three dozen CPT/HCPCS codes an outpatient group bills, with typical charges. */
export const PROCEDURES: readonly Procedure[] = [
  { code: '99213', price: 145, weight: 20 },
  { code: '99214', price: 215, weight: 16 },
  { code: '99215', price: 295, weight: 5 },
  { code: '99203', price: 190, weight: 4 },
  { code: '99204', price: 285, weight: 3 },
  { code: '99395', price: 250, weight: 3 },
  { code: '99396', price: 265, weight: 3 },
  { code: '99283', price: 450, weight: 3 },
  { code: '99285', price: 1150, weight: 1 },
  { code: '36415', price: 18, weight: 12 },
  { code: '80053', price: 58, weight: 8 },
  { code: '85025', price: 34, weight: 8 },
  { code: '83036', price: 42, weight: 4 },
  { code: '80061', price: 55, weight: 5 },
  { code: '84443', price: 65, weight: 3 },
  { code: '81002', price: 14, weight: 3 },
  { code: '87880', price: 38, weight: 2 },
  { code: '93000', price: 72, weight: 4 },
  { code: '71046', price: 118, weight: 3 },
  { code: '73721', price: 925, weight: 1 },
  { code: '70553', price: 1850, weight: 1 },
  { code: '74177', price: 1240, weight: 1 },
  { code: '76700', price: 360, weight: 1 },
  { code: '77067', price: 285, weight: 2 },
  { code: '97110', price: 92, weight: 5 },
  { code: '97140', price: 88, weight: 3 },
  { code: '90834', price: 160, weight: 3 },
  { code: '90837', price: 215, weight: 2 },
  { code: '90471', price: 28, weight: 3 },
  { code: '90686', price: 45, weight: 2 },
  { code: '20610', price: 185, weight: 2 },
  { code: '11721', price: 72, weight: 1 },
  { code: '17000', price: 112, weight: 1 },
  { code: '45378', price: 1480, weight: 1 },
  { code: '66984', price: 2750, weight: 1 },
  { code: '29881', price: 4300, weight: 0.5 },
  { code: 'G0439', price: 205, weight: 2 },
  { code: 'J1100', price: 22, weight: 1 },
]

/** Claim adjustment reason codes with their usual wording. */
export const DENIAL_REASONS: readonly string[] = [
  'CO-16: Claim lacks information needed for adjudication',
  'CO-50: Not deemed a medical necessity by the payer',
  'CO-97: Payment included in the allowance for another service',
  'CO-29: The time limit for filing has expired',
  'CO-197: Precertification/authorization absent',
  'CO-18: Exact duplicate claim/service',
  'CO-22: Care may be covered by another payer (coordination of benefits)',
  'CO-4: Procedure code inconsistent with the modifier used',
  'CO-11: Diagnosis inconsistent with the procedure',
  'PR-204: Service not covered under the patient\'s current benefit plan',
  'CO-27: Expenses incurred after coverage terminated',
]

/** Names of practices, used (with a number when there are more customers) as customer names. */
export const PRACTICE_NAMES: readonly string[] = [
  'Riverside Family Medicine',
  'Northgate Orthopedics',
  'Lakeview Internal Medicine',
  'Cedar Ridge Pediatrics',
  'Harborview Cardiology Associates',
  'Summit Physical Therapy',
  'Bayshore Imaging Center',
  'Willow Creek Behavioral Health',
  'Pinecrest Dermatology',
  'Meadowbrook Women\'s Health',
  'Granite State Gastroenterology',
  'Silver Lake Eye Institute',
  'Maple Grove Urgent Care',
  'Ironwood Endocrinology',
  'Coastal Sports Medicine',
  'Highland Primary Care',
]
