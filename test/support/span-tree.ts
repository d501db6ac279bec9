import { context, propagation, trace } from '@opentelemetry/api'
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'

/** One span and its children, in start order. */
export interface SpanNode {
  readonly span: ReadableSpan
  readonly name: string
  readonly children: SpanNode[]
}

/**
 * Registers a real OpenTelemetry SDK for this test file: a NodeTracerProvider (AsyncLocalStorage
 * context manager, W3C trace-context propagator) exporting every ended span, synchronously, to
 * an in-memory exporter. `shutdown()` unregisters it.
 */
export function registerInMemoryTracing(): { exporter: InMemorySpanExporter; shutdown: () => Promise<void> } {
  const exporter = new InMemorySpanExporter()
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  provider.register()
  return {
    exporter,
    shutdown: async () => {
      await provider.shutdown()
      trace.disable()
      context.disable()
      propagation.disable()
    },
  }
}

const idOf = (span: ReadableSpan) => span.spanContext().spanId
const startOf = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1]

/** The trees of `spans` (roots: spans whose parent is not among them), children in start order. */
export function spanTrees(spans: readonly ReadableSpan[]): SpanNode[] {
  const nodes = new Map(spans.map((span) => [idOf(span), { span, name: span.name, children: [] as SpanNode[] }]))
  const roots: SpanNode[] = []
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanContext ? nodes.get(node.span.parentSpanContext.spanId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const sort = (list: SpanNode[]) => {
    list.sort((a, b) => startOf(a.span) - startOf(b.span))
    for (const n of list) sort(n.children)
  }
  sort(roots)
  return roots
}

/** The one tree of `spans` (fails when there is not exactly one root). */
export function spanTree(spans: readonly ReadableSpan[]): SpanNode {
  const roots = spanTrees(spans)
  if (roots.length !== 1) throw new Error(`expected one root span, got ${roots.length}: ${roots.map((r) => r.name).join(', ')}`)
  return roots[0]!
}

/** A tree as names only, children nested: `['GET /x', [['SELECT', []], ...]]`, for `toEqual`. */
export type NameTree = [string, NameTree[]]

/** The names of a tree, nested (see {@link NameTree}). */
export function nameTree(node: SpanNode): NameTree {
  return [node.name, node.children.map(nameTree)]
}

const SHOWN = [
  'http.route',
  'http.response.status_code',
  'upstream.operation_id',
  'upstream.tenant.id',
  'upstream.transaction.isolation',
  'upstream.transaction.read_only',
  'upstream.transaction.attempts',
  'upstream.list.shape',
  'upstream.list.count_strategy',
  'upstream.list.count_cache',
  'upstream.list.rows',
  'upstream.upload.id',
  'upstream.upload.loader',
  'upstream.upload.rows',
  'upstream.upload.status',
  'upstream.drift.created',
  'upstream.drift.groups_tested',
  'upstream.drift.events',
  'db.response.returned_rows',
  'db.response.status_code',
]

function durationMs(span: ReadableSpan): string {
  return (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(1)
}

/** The tree as text, one span a line: name, duration, the main attributes, and the statement text of database spans. */
export function printSpanTree(node: SpanNode, prefix = '', last = true, root = true): string {
  const attributes = SHOWN.filter((k) => node.span.attributes[k] !== undefined).map((k) => `${k.replace(/^upstream\./, '')}=${JSON.stringify(node.span.attributes[k])}`)
  const text = node.span.attributes['db.query.text']
  const statement = typeof text === 'string' ? `  ${text.replace(/\s+/g, ' ').slice(0, 110)}${text.length > 110 ? '…' : ''}` : ''
  const events = node.span.events.map((e) => ` [event ${e.name}${e.attributes ? ` ${JSON.stringify(e.attributes)}` : ''}]`).join('')
  const line = `${root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`}${node.name} (${durationMs(node.span)} ms)${attributes.length ? ` ${attributes.join(' ')}` : ''}${events}${statement}`
  const childPrefix = root ? '' : `${prefix}${last ? '   ' : '│  '}`
  return [line, ...node.children.map((child, i) => printSpanTree(child, childPrefix, i === node.children.length - 1, false))].join('\n')
}
