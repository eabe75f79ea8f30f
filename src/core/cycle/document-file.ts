// What a filed document may be: a short list of media types, each with its file-name extensions and
// the first bytes its files start with (text types: no NUL byte in the first 8 KiB). A file whose
// name, declared type and content disagree is refused, so that a document is what it says it is.

const zip = [0x50, 0x4b, 0x03, 0x04];
const text = 'text' as const;

export const documentFileTypes: Readonly<
  Record<
    string,
    { readonly extensions: readonly string[]; readonly starts: readonly number[] | 'text' }
  >
> = {
  'application/pdf': { extensions: ['pdf'], starts: [0x25, 0x50, 0x44, 0x46] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extensions: ['docx'],
    starts: zip,
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    extensions: ['xlsx'],
    starts: zip,
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    extensions: ['pptx'],
    starts: zip,
  },
  'application/vnd.oasis.opendocument.text': { extensions: ['odt'], starts: zip },
  'application/vnd.oasis.opendocument.spreadsheet': { extensions: ['ods'], starts: zip },
  'application/zip': { extensions: ['zip'], starts: zip },
  'image/png': { extensions: ['png'], starts: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { extensions: ['jpg', 'jpeg'], starts: [0xff, 0xd8, 0xff] },
  'text/plain': { extensions: ['txt'], starts: text },
  'text/csv': { extensions: ['csv'], starts: text },
  'text/markdown': { extensions: ['md'], starts: text },
  'application/json': { extensions: ['json'], starts: text },
  'application/yaml': { extensions: ['yaml', 'yml'], starts: text },
};

const extensionOf = (fileName: string) => /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();

/** The media type a file name implies, if its extension is one of the accepted ones. */
export function mediaTypeOfFileName(fileName: string): string | undefined {
  const extension = extensionOf(fileName);
  return Object.entries(documentFileTypes).find(([, t]) =>
    t.extensions.includes(extension ?? ''),
  )?.[0];
}

/** Why a file may not be filed, or null when its name, type and first bytes agree. */
export function documentFileProblem(
  fileName: string,
  mediaType: string,
  bytes: Uint8Array,
): string | null {
  const accepted = documentFileTypes[mediaType];
  if (accepted === undefined)
    return `${fileName}: ${mediaType} is not accepted (PDF, Office and OpenDocument files, ZIP, PNG, JPEG, plain text, CSV, Markdown, JSON, YAML)`;
  if (!accepted.extensions.includes(extensionOf(fileName) ?? ''))
    return `${fileName}: a ${mediaType} file is named .${accepted.extensions.join(' or .')}`;
  if (accepted.starts === 'text') {
    if (bytes.subarray(0, 8192).includes(0)) return `${fileName}: ${mediaType} has binary content`;
  } else if (!accepted.starts.every((b, i) => bytes[i] === b)) {
    return `${fileName}: the content is not ${mediaType}`;
  }
  return null;
}
