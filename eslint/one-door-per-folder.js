// ESLint rule: a module of src/ imports another folder's module only through that folder's door,
// its index.ts (public API) or internal.ts (the library's own cross-folder names, never a subpath).
// A "door folder" is a folder of src/ with an index.ts; a file belongs to its nearest door folder.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join, relative, resolve, sep } from 'node:path'

const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src')

function doorOf(file) {
  let dir = dirname(file)
  while (dir.startsWith(srcRoot) && dir !== srcRoot) {
    if (existsSync(join(dir, 'index.ts'))) return dir
    dir = dirname(dir)
  }
  return srcRoot
}

export default {
  meta: {
    type: 'problem',
    docs: { description: "Import another folder's modules only through its index.ts (or internal.ts)" },
    messages: {
      throughDoor: "'{{spec}}' reaches into {{folder}}/: import it from {{folder}}/index.js (public) or {{folder}}/internal.js (library-only).",
    },
    schema: [],
  },
  create(context) {
    const file = resolve(context.filename)
    if (!file.startsWith(srcRoot + sep)) return {}
    const myDoor = doorOf(file)
    const check = (node) => {
      const spec = node.source?.value
      if (typeof spec !== 'string' || !spec.startsWith('.')) return
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts')
      const targetDoor = doorOf(target)
      if (targetDoor === myDoor) return
      // a nested door may be entered only by its door files; the same for a parent's door
      const base = relative(targetDoor, target)
      if (base === 'index.ts' || base === 'internal.ts') return
      context.report({ node: node.source, messageId: 'throughDoor', data: { spec, folder: relative(srcRoot, targetDoor) || 'src' } })
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (node) => check({ source: node.source }) }
  },
}
