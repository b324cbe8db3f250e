// The OpenAPI 3.0.3 description of Coursework (a course platform in JSON:API style).
// `node spec.mjs` rewrites openapi.yaml from this object; server.mjs routes and validates from it.
import { writeSpecIfMain } from '../blind-common/lib.mjs';

const JA = 'application/vnd.api+json';
const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const resp = (n) => ({ $ref: `#/components/responses/${n}` });
const dt = { type: 'string', format: 'date-time', readOnly: true };

const toOne = (type, nullable = false) => ({
  type: 'object',
  properties: {
    data: {
      type: 'object', nullable,
      required: ['type', 'id'],
      properties: { type: { type: 'string', enum: [type] }, id: { type: 'string' } },
    },
  },
  required: ['data'],
});
const related = { type: 'object', properties: { links: { type: 'object', properties: { related: { type: 'string' } } } } };
const selfLinks = { type: 'object', properties: { self: { type: 'string' } } };

function resource(type, attrs, rels) {
  return {
    type: 'object',
    required: ['type', 'id', 'attributes'],
    properties: {
      type: { type: 'string', enum: [type] },
      id: { type: 'string', readOnly: true },
      attributes: ref(attrs),
      ...(rels ? { relationships: { type: 'object', properties: rels } } : {}),
      links: selfLinks,
    },
  };
}
function writeDoc(type, attrs, withId = false) {
  return {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'object',
        required: ['type', 'attributes'],
        properties: {
          type: { type: 'string', enum: [type] },
          ...(withId ? { id: { type: 'string', description: 'Optional; when given it must equal the id in the path (else 409).' } } : {}),
          attributes: ref(attrs),
        },
      },
    },
  };
}
const jsonapi = { type: 'object', properties: { version: { type: 'string' } } };
function singleDoc(res, included) {
  return {
    type: 'object',
    required: ['data'],
    properties: {
      jsonapi,
      data: ref(res),
      ...(included ? { included: { type: 'array', items: included } } : {}),
      links: selfLinks,
    },
  };
}
function listDoc(res, included) {
  return {
    type: 'object',
    required: ['data', 'meta', 'links'],
    properties: {
      jsonapi,
      data: { type: 'array', items: ref(res) },
      ...(included ? { included: { type: 'array', items: included } } : {}),
      meta: {
        type: 'object', required: ['total', 'page'],
        properties: {
          total: { type: 'integer', minimum: 0 },
          page: { type: 'object', required: ['number', 'size'], properties: { number: { type: 'integer', minimum: 1 }, size: { type: 'integer', minimum: 1, maximum: 50 } } },
        },
      },
      links: {
        type: 'object', required: ['self', 'first', 'last'],
        properties: { self: { type: 'string' }, first: { type: 'string' }, last: { type: 'string' }, prev: { type: 'string' }, next: { type: 'string' } },
      },
    },
  };
}

const body = (schema) => ({ required: true, content: { [JA]: { schema: ref(schema) } } });
const ok = (schema, description, headers) => ({ description, ...(headers ? { headers } : {}), content: { [JA]: { schema: ref(schema) } } });
const etagH = { ETag: { $ref: '#/components/headers/ETag' } };
const createdH = { Location: { $ref: '#/components/headers/Location' }, ETag: { $ref: '#/components/headers/ETag' } };
const pathP = (name, what) => ({ name, in: 'path', required: true, description: `The ${what}'s id (at most 40 characters; a longer one is refused with 400).`, schema: { type: 'string', maxLength: 40 } });
const pageP = { $ref: '#/components/parameters/page' };
const ifMatch = { $ref: '#/components/parameters/IfMatch' };
const includeP = (values) => ({
  name: 'include', in: 'query', required: false, style: 'form', explode: false,
  description: `Related resources to add under \`included\` (comma-separated). Unknown paths are refused with 400.`,
  schema: { type: 'array', uniqueItems: true, items: { type: 'string', enum: values } },
});
const sortP = (fields, dflt) => ({
  name: 'sort', in: 'query', required: false,
  description: `Sort field, \`-\` for descending. Default \`${dflt}\`.`,
  schema: { type: 'string', pattern: `^-?(${fields.join('|')})$`, default: dflt },
});
const errs = (...codes) => Object.fromEntries(codes.map((c) => [String(c), resp(
  { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 412: 'PreconditionFailed', 415: 'UnsupportedMediaType', 422: 'Unprocessable', 428: 'PreconditionRequired' }[c],
)]));

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'Coursework LMS API',
    version: '2.3.0',
    description: [
      'A course platform: instructors publish courses and assignments, students enroll and hand in',
      'submissions, instructors grade them. Documents follow JSON:API 1.0 (`application/vnd.api+json`).',
      '',
      'Access tokens come from `POST /auth/token` (password grant or refresh grant). They live 15 minutes;',
      'refresh tokens are single-use (each refresh answers a new one).',
      '',
      'Visibility: a published course (and its assignments) is visible to every signed-in user; a draft',
      'course only to its instructor and its enrolled users. Anything not visible answers 404.',
      'Changes to a course and its assignments are for the course instructor only (403 for other users',
      'who can see it). A submission is visible to its author and to the course instructor only;',
      'an enrollment to its user and to the course instructor only.',
    ].join('\n'),
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearerAuth: [] }],
  tags: [{ name: 'auth' }, { name: 'courses' }, { name: 'assignments' }, { name: 'enrollments' }, { name: 'submissions' }],
  paths: {
    '/auth/token': {
      post: {
        operationId: 'issueToken', tags: ['auth'], security: [], summary: 'Exchange credentials or a refresh token for tokens',
        requestBody: { required: true, content: { 'application/json': { schema: ref('TokenRequest') } } },
        responses: {
          200: { description: 'Tokens', content: { 'application/json': { schema: ref('TokenResponse') } } },
          400: {
            description: 'Malformed request (JSON:API error document) or refused grant (OAuth 2.0 error)',
            content: { 'application/json': { schema: ref('OAuthError') }, [JA]: { schema: ref('ErrorDocument') } },
          },
          ...errs(415),
        },
      },
    },
    '/users': {
      post: {
        operationId: 'registerUser', tags: ['auth'], security: [], summary: 'Register a student account',
        description: 'Every new account is a student; instructor accounts are made by the platform staff.',
        requestBody: body('UserCreateDocument'),
        responses: { 201: ok('UserDocument', 'Registered'), ...errs(400, 409, 415) },
      },
    },
    '/me': {
      get: { operationId: 'getMe', tags: ['auth'], summary: 'The signed-in user', responses: { 200: ok('UserDocument', 'The caller'), ...errs(401) } },
    },
    '/courses': {
      get: {
        operationId: 'listCourses', tags: ['courses'], summary: 'Course catalogue',
        description: 'Published courses and the caller\'s own drafts.',
        parameters: [
          {
            name: 'filter', in: 'query', required: false, style: 'deepObject', explode: true,
            description: '`filter[title]` matches a case-insensitive part of the title; `filter[published]` the state.',
            schema: { type: 'object', additionalProperties: false, properties: { title: { type: 'string', maxLength: 100 }, published: { type: 'boolean' } } },
          },
          sortP(['created', 'title'], '-created'),
          pageP,
        ],
        responses: { 200: ok('CourseListDocument', 'A page of courses'), ...errs(400, 401) },
      },
      post: {
        operationId: 'createCourse', tags: ['courses'], summary: 'Create a course (instructors only)',
        'x-sentinel-privileged': true,
        description: 'Only users whose role is `instructor` may create courses (403 for students). The caller becomes the course instructor. `code` is derived from the title.',
        requestBody: body('CourseCreateDocument'),
        responses: { 201: ok('CourseDocument', 'Created', createdH), ...errs(400, 401, 403, 415) },
      },
    },
    '/courses/{courseId}': {
      parameters: [pathP('courseId', 'course')],
      get: {
        operationId: 'getCourse', tags: ['courses'],
        parameters: [includeP(['instructor', 'assignments'])],
        responses: { 200: ok('CourseDocument', 'The course', etagH), ...errs(400, 401, 404) },
      },
      patch: {
        operationId: 'updateCourse', tags: ['courses'], summary: 'Change a course (course instructor)',
        description: 'Requires `If-Match` with the current ETag: 428 without it, 412 when it is stale. `capacity` cannot go below `enrolledCount` (422).',
        parameters: [ifMatch],
        requestBody: body('CoursePatchDocument'),
        responses: { 200: ok('CourseDocument', 'Changed', etagH), ...errs(400, 401, 403, 404, 409, 412, 415, 422, 428) },
      },
      delete: {
        operationId: 'deleteCourse', tags: ['courses'], summary: 'Delete a course with its assignments, enrollments and submissions (course instructor)',
        responses: { 204: { description: 'Deleted' }, ...errs(400, 401, 403, 404) },
      },
    },
    '/courses/{courseId}/assignments': {
      parameters: [pathP('courseId', 'course')],
      get: {
        operationId: 'listAssignments', tags: ['assignments'],
        parameters: [sortP(['created', 'dueAt', 'title'], 'dueAt'), pageP],
        responses: { 200: ok('AssignmentListDocument', 'A page of assignments'), ...errs(400, 401, 404) },
      },
      post: {
        operationId: 'createAssignment', tags: ['assignments'], summary: 'Add an assignment (course instructor)',
        requestBody: body('AssignmentCreateDocument'),
        responses: { 201: ok('AssignmentDocument', 'Created', createdH), ...errs(400, 401, 403, 404, 415) },
      },
    },
    '/assignments/{assignmentId}': {
      parameters: [pathP('assignmentId', 'assignment')],
      get: { operationId: 'getAssignment', tags: ['assignments'], responses: { 200: ok('AssignmentDocument', 'The assignment', etagH), ...errs(400, 401, 404) } },
      patch: {
        operationId: 'updateAssignment', tags: ['assignments'], summary: 'Change an assignment (course instructor)',
        description: 'Requires `If-Match` with the current ETag: 428 without it, 412 when it is stale.',
        parameters: [ifMatch],
        requestBody: body('AssignmentPatchDocument'),
        responses: { 200: ok('AssignmentDocument', 'Changed', etagH), ...errs(400, 401, 403, 404, 409, 412, 415, 428) },
      },
      delete: { operationId: 'deleteAssignment', tags: ['assignments'], responses: { 204: { description: 'Deleted' }, ...errs(400, 401, 403, 404) } },
    },
    '/courses/{courseId}/enrollments': {
      parameters: [pathP('courseId', 'course')],
      get: {
        operationId: 'listEnrollments', tags: ['enrollments'],
        description: 'The course instructor sees every enrollment; anyone else only their own.',
        parameters: [includeP(['user', 'course']), pageP],
        responses: { 200: ok('EnrollmentListDocument', 'A page of enrollments'), ...errs(400, 401, 404) },
      },
      post: {
        operationId: 'enroll', tags: ['enrollments'], summary: 'Enroll the caller in the course',
        description: 'The caller joins the course (the course instructor may join too, to see the student view). 409 when already enrolled or the course is full.',
        requestBody: body('EnrollmentCreateDocument'),
        responses: { 201: ok('EnrollmentDocument', 'Enrolled', { Location: { $ref: '#/components/headers/Location' } }), ...errs(400, 401, 404, 409, 415) },
      },
    },
    '/enrollments/{enrollmentId}': {
      parameters: [pathP('enrollmentId', 'enrollment')],
      get: { operationId: 'getEnrollment', tags: ['enrollments'], responses: { 200: ok('EnrollmentDocument', 'The enrollment'), ...errs(400, 401, 404) } },
      delete: {
        operationId: 'withdraw', tags: ['enrollments'], summary: 'Withdraw (the enrolled user or the course instructor)',
        responses: { 204: { description: 'Withdrawn' }, ...errs(400, 401, 404) },
      },
    },
    '/assignments/{assignmentId}/submissions': {
      parameters: [pathP('assignmentId', 'assignment')],
      get: {
        operationId: 'listSubmissions', tags: ['submissions'],
        description: 'The course instructor sees every submission; anyone else only their own.',
        parameters: [
          includeP(['grade', 'author']),
          {
            name: 'filter', in: 'query', required: false, style: 'deepObject', explode: true,
            schema: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['submitted', 'graded'] } } },
          },
          pageP,
        ],
        responses: { 200: ok('SubmissionListDocument', 'A page of submissions'), ...errs(400, 401, 404) },
      },
      post: {
        operationId: 'submit', tags: ['submissions'], summary: 'Hand in a submission',
        description: 'For users enrolled on the `credit` track (403 for `audit`, and for users of a published course who are not enrolled). The course instructor may hand in a preview submission (`preview: true`).',
        requestBody: body('SubmissionCreateDocument'),
        responses: { 201: ok('SubmissionDocument', 'Submitted', createdH), ...errs(400, 401, 403, 404, 415) },
      },
    },
    '/submissions/{submissionId}': {
      parameters: [pathP('submissionId', 'submission')],
      get: { operationId: 'getSubmission', tags: ['submissions'], responses: { 200: ok('SubmissionDocument', 'The submission', etagH), ...errs(400, 401, 404) } },
      patch: {
        operationId: 'updateSubmission', tags: ['submissions'], summary: 'Revise a submission (its author, until graded)',
        description: 'Requires `If-Match` with the current ETag: 428 without it, 412 when it is stale. 409 once graded; 403 for the course instructor.',
        parameters: [ifMatch],
        requestBody: body('SubmissionPatchDocument'),
        responses: { 200: ok('SubmissionDocument', 'Revised', etagH), ...errs(400, 401, 403, 404, 409, 412, 415, 428) },
      },
    },
    '/submissions/{submissionId}/grade': {
      parameters: [pathP('submissionId', 'submission')],
      get: { operationId: 'getGrade', tags: ['submissions'], summary: 'The grade (404 while ungraded)', responses: { 200: ok('GradeDocument', 'The grade'), ...errs(400, 401, 404) } },
      put: {
        operationId: 'gradeSubmission', tags: ['submissions'], summary: 'Set the grade (course instructor)',
        'x-sentinel-privileged': true,
        description: 'Only the course instructor grades (403 for the submission\'s author). `score` may not exceed the assignment\'s `maxPoints` (422).',
        requestBody: body('GradeWriteDocument'),
        responses: { 200: ok('GradeDocument', 'Graded'), ...errs(400, 401, 403, 404, 415, 422) },
      },
    },
  },
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    headers: {
      ETag: { required: true, description: 'Entity tag of the returned resource', schema: { type: 'string' } },
      Location: { required: true, description: 'URL of the created resource', schema: { type: 'string' } },
    },
    parameters: {
      IfMatch: { name: 'If-Match', in: 'header', required: true, description: 'The ETag of the resource as last read.', schema: { type: 'string' } },
      page: {
        name: 'page', in: 'query', required: false, style: 'deepObject', explode: true,
        description: '`page[number]` (from 1) and `page[size]` (1–50, default 20).',
        schema: { type: 'object', additionalProperties: false, properties: { number: { type: 'integer', minimum: 1, default: 1 }, size: { type: 'integer', minimum: 1, maximum: 50, default: 20 } } },
      },
    },
    responses: Object.fromEntries([
      ['BadRequest', 'Invalid parameters or document'], ['Unauthorized', 'Missing or invalid access token'], ['Forbidden', 'Not allowed for this user'],
      ['NotFound', 'No such resource visible to the caller'], ['Conflict', 'Conflicts with the current state'], ['PreconditionFailed', 'If-Match does not match the current ETag'],
      ['UnsupportedMediaType', 'Send application/vnd.api+json'], ['Unprocessable', 'Breaks a business rule'], ['PreconditionRequired', 'If-Match is required'],
    ].map(([n, d]) => [n, { description: d, content: { [JA]: { schema: ref('ErrorDocument') } } }])),
    schemas: {
      ErrorDocument: {
        type: 'object', required: ['errors'],
        properties: {
          jsonapi,
          errors: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', required: ['status', 'title'],
              properties: {
                status: { type: 'string' }, title: { type: 'string' }, detail: { type: 'string' },
                source: { type: 'object', properties: { pointer: { type: 'string' }, parameter: { type: 'string' }, header: { type: 'string' } } },
              },
            },
          },
        },
      },
      TokenRequest: { oneOf: [ref('PasswordGrant'), ref('RefreshGrant')] },
      PasswordGrant: {
        type: 'object', additionalProperties: false, required: ['grant_type', 'username', 'password'],
        properties: { grant_type: { type: 'string', enum: ['password'] }, username: { type: 'string', maxLength: 30 }, password: { type: 'string', maxLength: 128, format: 'password' } },
      },
      RefreshGrant: {
        type: 'object', additionalProperties: false, required: ['grant_type', 'refresh_token'],
        properties: { grant_type: { type: 'string', enum: ['refresh_token'] }, refresh_token: { type: 'string', maxLength: 200 } },
      },
      TokenResponse: {
        type: 'object', required: ['access_token', 'token_type', 'expires_in', 'refresh_token'],
        properties: { access_token: { type: 'string' }, token_type: { type: 'string', enum: ['Bearer'] }, expires_in: { type: 'integer' }, refresh_token: { type: 'string' } },
      },
      OAuthError: {
        type: 'object', required: ['error'],
        properties: { error: { type: 'string', enum: ['invalid_request', 'invalid_grant', 'unsupported_grant_type'] }, error_description: { type: 'string' } },
      },
      UserAttributes: {
        type: 'object', additionalProperties: false, required: ['username', 'email', 'password', 'role', 'createdAt'],
        properties: {
          username: { type: 'string', pattern: '^[a-z0-9_]{3,30}$', description: 'Unique.' },
          email: { type: 'string', format: 'email', maxLength: 254, description: 'Unique.' },
          displayName: { type: 'string', maxLength: 80 },
          password: { type: 'string', writeOnly: true, minLength: 8, maxLength: 128, format: 'password' },
          role: { type: 'string', enum: ['student', 'instructor'], readOnly: true },
          createdAt: dt,
        },
      },
      PublicUserAttributes: {
        type: 'object', additionalProperties: false, required: ['username', 'role'],
        properties: { username: { type: 'string' }, displayName: { type: 'string' }, role: { type: 'string', enum: ['student', 'instructor'] } },
      },
      UserResource: resource('users', 'UserAttributes'),
      PublicUserResource: resource('users', 'PublicUserAttributes'),
      UserCreateDocument: writeDoc('users', 'UserAttributes'),
      UserDocument: singleDoc('UserResource'),
      CourseAttributes: {
        type: 'object', additionalProperties: false, required: ['title', 'code', 'enrolledCount', 'createdAt', 'updatedAt'],
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 120 },
          description: { type: 'string', maxLength: 2000 },
          code: { type: 'string', readOnly: true, pattern: '^[A-Z0-9]{1,6}-[0-9]{3,}$', description: 'Initials of the title and a serial number.' },
          capacity: { type: 'integer', minimum: 1, maximum: 500, default: 30 },
          published: { type: 'boolean', default: false },
          startsOn: { type: 'string', format: 'date' },
          enrolledCount: { type: 'integer', minimum: 0, readOnly: true },
          createdAt: dt, updatedAt: dt,
        },
      },
      CoursePatchAttributes: {
        type: 'object', additionalProperties: false,
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 120 },
          description: { type: 'string', maxLength: 2000 },
          capacity: { type: 'integer', minimum: 1, maximum: 500 },
          published: { type: 'boolean' },
          startsOn: { type: 'string', format: 'date' },
        },
      },
      CourseResource: resource('courses', 'CourseAttributes', { instructor: toOne('users'), assignments: related }),
      CourseCreateDocument: writeDoc('courses', 'CourseAttributes'),
      CoursePatchDocument: writeDoc('courses', 'CoursePatchAttributes', true),
      CourseDocument: singleDoc('CourseResource', { oneOf: [ref('PublicUserResource'), ref('AssignmentResource')] }),
      CourseListDocument: listDoc('CourseResource'),
      AssignmentAttributes: {
        type: 'object', additionalProperties: false, required: ['title', 'maxPoints', 'createdAt', 'updatedAt'],
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 120 },
          instructions: { type: 'string', maxLength: 5000 },
          maxPoints: { type: 'integer', minimum: 1, maximum: 1000 },
          dueAt: { type: 'string', format: 'date-time' },
          createdAt: dt, updatedAt: dt,
        },
      },
      AssignmentPatchAttributes: {
        type: 'object', additionalProperties: false,
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 120 },
          instructions: { type: 'string', maxLength: 5000 },
          maxPoints: { type: 'integer', minimum: 1, maximum: 1000 },
          dueAt: { type: 'string', format: 'date-time' },
        },
      },
      AssignmentResource: resource('assignments', 'AssignmentAttributes', { course: toOne('courses'), submissions: related }),
      AssignmentCreateDocument: writeDoc('assignments', 'AssignmentAttributes'),
      AssignmentPatchDocument: writeDoc('assignments', 'AssignmentPatchAttributes', true),
      AssignmentDocument: singleDoc('AssignmentResource'),
      AssignmentListDocument: listDoc('AssignmentResource'),
      EnrollmentAttributes: {
        type: 'object', additionalProperties: false, required: ['track', 'enrolledAt'],
        properties: {
          track: { type: 'string', enum: ['credit', 'audit'], description: '`audit` users follow the course but cannot hand in work.' },
          enrolledAt: dt,
        },
      },
      EnrollmentResource: resource('enrollments', 'EnrollmentAttributes', { course: toOne('courses'), user: toOne('users') }),
      EnrollmentCreateDocument: writeDoc('enrollments', 'EnrollmentAttributes'),
      EnrollmentDocument: singleDoc('EnrollmentResource'),
      EnrollmentListDocument: listDoc('EnrollmentResource', { oneOf: [ref('PublicUserResource'), ref('CourseResource')] }),
      SubmissionAttributes: {
        type: 'object', additionalProperties: false, required: ['body', 'status', 'late', 'preview', 'submittedAt', 'updatedAt'],
        properties: {
          body: { type: 'string', minLength: 1, maxLength: 10000 },
          attachmentUrl: { type: 'string', format: 'uri', maxLength: 500 },
          status: { type: 'string', enum: ['submitted', 'graded'], readOnly: true },
          late: { type: 'boolean', readOnly: true, description: 'Handed in after the assignment\'s dueAt.' },
          preview: { type: 'boolean', readOnly: true, description: 'Handed in by the course instructor.' },
          submittedAt: dt, updatedAt: dt,
        },
      },
      SubmissionPatchAttributes: {
        type: 'object', additionalProperties: false,
        properties: { body: { type: 'string', minLength: 1, maxLength: 10000 }, attachmentUrl: { type: 'string', format: 'uri', maxLength: 500 } },
      },
      SubmissionResource: resource('submissions', 'SubmissionAttributes', { assignment: toOne('assignments'), author: toOne('users'), grade: toOne('grades', true) }),
      SubmissionCreateDocument: writeDoc('submissions', 'SubmissionAttributes'),
      SubmissionPatchDocument: writeDoc('submissions', 'SubmissionPatchAttributes', true),
      SubmissionDocument: singleDoc('SubmissionResource'),
      SubmissionListDocument: listDoc('SubmissionResource', { oneOf: [ref('GradeResource'), ref('PublicUserResource')] }),
      GradeAttributes: {
        type: 'object', additionalProperties: false, required: ['score', 'gradedAt'],
        properties: {
          score: { type: 'number', minimum: 0, description: 'At most the assignment\'s maxPoints.' },
          feedback: { type: 'string', maxLength: 2000 },
          gradedAt: dt,
        },
      },
      GradeResource: resource('grades', 'GradeAttributes', { submission: toOne('submissions'), grader: toOne('users') }),
      GradeWriteDocument: writeDoc('grades', 'GradeAttributes'),
      GradeDocument: singleDoc('GradeResource'),
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Coursework LMS API (blind target: examples/blind-courses). Generated by spec.mjs; edit there.');
