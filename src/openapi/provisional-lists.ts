import { z } from 'zod'

// TODO(openapi): replace with src/ingestion's uploadStatisticsQuerySchema once it is committed.

/** Provisional statistics query, until `src/ingestion` exports it. */
export const provisionalStatisticsQuery = z.object({ start_date: z.iso.date().optional(), end_date: z.iso.date().optional() })
