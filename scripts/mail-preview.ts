// Renders every mail template with sample data: `npm run mail:preview [dir]`.
import path from 'node:path'
import { writeMailPreviews } from '../src/modules/notifications/index.js'

const dir = path.resolve(process.argv[2] ?? '.emporium/mail-preview')
const files = await writeMailPreviews(dir)
console.log(`${files.length} files written to ${dir}`)
