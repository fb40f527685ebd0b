import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '#domain/errors.ts';
import {
  checkArrived,
  documentStorageKey,
  documentTypes,
  documentUploadKey,
  maxDocumentBytes,
  pendingDocument,
  uploadedDocument,
  UploadRequest,
  type DocumentType,
} from '#domain/documents.ts';

const now = new Date('2026-03-01T10:00:00Z');

const valid = {
  firstName: 'Ana',
  email: 'Ana@Example.com',
  fileName: 'Factura marzo.pdf',
  contentType: 'application/pdf',
  size: 2048,
};

/** The issues of a refused request, as `path: message`. */
function issues(input: unknown): string[] {
  const result = UploadRequest.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const thrown = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('UploadRequest', () => {
  it('accepts a file described by name, type and size, from someone the business can answer', () => {
    expect(UploadRequest.parse({ ...valid, note: 'The March invoice', customFields: { F1: 'curly' } })).toEqual({
      ...valid,
      email: 'ana@example.com',
      note: 'The March invoice',
      customFields: { F1: 'curly' },
    });
  });

  it('accepts every listed type with each of its extensions, in any case', () => {
    for (const [contentType, extensions] of Object.entries(documentTypes)) {
      for (const extension of extensions) {
        expect(UploadRequest.safeParse({ ...valid, contentType, fileName: `scan.${extension.toUpperCase()}` }).success, `${contentType} .${extension}`).toBe(true);
      }
    }
  });

  it('refuses a type that is not accepted, naming the accepted ones', () => {
    expect(issues({ ...valid, contentType: 'application/x-msdownload', fileName: 'setup.exe' })).toContainEqual(
      `contentType: type "application/x-msdownload" is not accepted; send one of ${Object.keys(documentTypes).join(', ')}`,
    );
  });

  it('refuses a file name whose extension is not one of its type', () => {
    expect(issues({ ...valid, fileName: 'photo.png' })).toEqual(['fileName: must end in .pdf for type application/pdf']);
    expect(issues({ ...valid, contentType: 'image/jpeg', fileName: 'photo' })).toEqual(['fileName: must end in .jpg or .jpeg for type image/jpeg']);
    expect(issues({ ...valid, fileName: 'invoice.pdf.exe' })).toEqual(['fileName: must end in .pdf for type application/pdf']);
  });

  it.each([
    ['a path', '../../etc/passwd.pdf', 'must be a file name, without / or \\'],
    ['a Windows path', 'C:\\Users\\ana\\scan.pdf', 'must be a file name, without / or \\'],
    ['a control character', 'scan\u0000.pdf', 'must not contain control characters'],
    ['a line break', 'scan\n.pdf', 'must be a single line (no line breaks or tabs)'],
    ['a right-to-left override', 'invoice\u202Efdp.exe.pdf', 'must not contain invisible formatting characters'],
    ['markup', '<img src=x onerror=alert(1)>.pdf', 'must be plain text: markup such as <b> or <script> is not accepted'],
    ['a name too long', `${'a'.repeat(197)}.pdf`, 'Too big: expected string to have <=200 characters'],
    ['an empty name', '   ', 'must not be empty'],
  ])('refuses a file name with %s', (_case, fileName, message) => {
    expect(issues({ ...valid, fileName })).toContain(`fileName: ${message}`);
  });

  it('refuses any file name with a path separator', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom('/', '\\'), fc.string({ maxLength: 80 }), (head, separator, tail) => {
        expect(UploadRequest.safeParse({ ...valid, fileName: `${head}${separator}${tail}.pdf` }).success).toBe(false);
      }),
    );
  });

  it.each([
    ['empty', 0, 'size: must be at least 1 byte: the file is empty'],
    ['not whole', 10.5, 'size: must be a whole number of bytes'],
  ])('refuses a size that is %s', (_case, size, message) => {
    expect(issues({ ...valid, size })).toContain(message);
  });

  it('refuses unknown fields, a request nobody could answer, and markup in the note', () => {
    expect(issues({ ...valid, path: '/tmp/x' })).toContain(': Unrecognized key: "path"');
    const { email: _email, ...anonymous } = valid;
    expect(issues(anonymous)).toContain('email: send an email or a phone number, so the business can answer');
    expect(issues({ ...valid, note: '<script>alert(1)</script>' })).toContain('note: must be plain text: markup such as <b> or <script> is not accepted');
  });
});

describe('pendingDocument', () => {
  const request = UploadRequest.parse({ ...valid, phone: '612 345 678', note: 'March', customFields: { F1: 'curly' } });

  it('waits for its bytes under the tenant’s key, keeping who sent it, for a day', () => {
    expect(pendingDocument(request, { tenantId: 'acme', id: 'D1', now })).toEqual({
      id: 'D1',
      version: 1,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      fileName: 'Factura marzo.pdf',
      contentType: 'application/pdf',
      size: 2048,
      note: 'March',
      status: 'pending',
      storageKey: 'documents/acme/D1',
      submitter: { firstName: 'Ana', email: 'ana@example.com', phone: '612 345 678', customFields: { F1: 'curly' } },
      expiresAt: Date.parse('2026-03-02T10:00:00Z') / 1000,
    });
  });

  it('takes a file of exactly the largest size, and refuses a larger one with 413', () => {
    expect(pendingDocument({ ...request, size: maxDocumentBytes }, { tenantId: 'acme', id: 'D1', now }).size).toBe(maxDocumentBytes);
    const error = thrown(() => pendingDocument({ ...request, size: maxDocumentBytes + 1 }, { tenantId: 'acme', id: 'D1', now }));
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toBe(`The file is ${maxDocumentBytes + 1} bytes; documents may be at most ${maxDocumentBytes} bytes (10 MiB)`);
  });
});

describe('document keys', () => {
  it('stage an upload apart from confirmed files, each under the tenant’s own prefix', () => {
    expect(documentUploadKey('acme', 'D1')).toBe('uploads/acme/D1');
    expect(documentStorageKey('acme', 'D1')).toBe('documents/acme/D1');
  });
});

describe('checkArrived', () => {
  const declared = { size: 2048, contentType: 'application/pdf' as DocumentType };

  it('passes when the stored file is what was declared', () => {
    expect(() => checkArrived(declared, { size: 2048, contentType: 'application/pdf' })).not.toThrow();
  });

  it('refuses with 409 when nothing arrived', () => {
    const error = thrown(() => checkArrived(declared, undefined));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('The upload has not arrived: PUT the file to the upload URL first, then complete it');
  });

  it.each([
    ['another size', { size: 2047, contentType: 'application/pdf' }, '2048 bytes of application/pdf were declared, 2047 bytes of application/pdf arrived'],
    ['another type', { size: 2048, contentType: 'text/html' }, '2048 bytes of application/pdf were declared, 2048 bytes of text/html arrived'],
    ['no type', { size: 2048, contentType: undefined }, '2048 bytes of application/pdf were declared, 2048 bytes of no type arrived'],
  ])('refuses with 409 a stored file of %s', (_case, stored, detail) => {
    const error = thrown(() => checkArrived(declared, stored));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(`The upload does not match: ${detail}`);
  });
});

describe('uploadedDocument', () => {
  it('belongs to the client from now on, with no expiry and no submitter kept', () => {
    const pending = pendingDocument(UploadRequest.parse(valid), { tenantId: 'acme', id: 'D1', now });
    const later = new Date('2026-03-01T10:05:00Z');
    expect(uploadedDocument(pending, 'C1', later)).toEqual({
      id: 'D1',
      version: 2,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:05:00.000Z',
      clientId: 'C1',
      fileName: 'Factura marzo.pdf',
      contentType: 'application/pdf',
      size: 2048,
      status: 'uploaded',
      storageKey: 'documents/acme/D1',
      uploadedAt: '2026-03-01T10:05:00.000Z',
    });
  });
});
