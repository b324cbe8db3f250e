// The Surveys API's OpenAPI 3.0.3 document, as an object (the server routes and validates with
// it) and as openapi.yaml (`node spec.mjs` rewrites the file). It describes the CLEAN variant.
import { writeSpecIfMain, clone } from '../blind-common/lib.mjs';

const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const problem = (description) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (description, schema, headers) => ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } });
const idParam = (name, description) => ({ name, in: 'path', required: true, description, schema: { type: 'integer', format: 'int64', minimum: 1 } });
const limit = { name: 'limit', in: 'query', description: 'Page size (1–100, default 20).', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } };
const page = { name: 'page', in: 'query', description: 'Page number, from 1 (default 1). Follow the `Link` header rather than counting pages.', schema: { type: 'integer', minimum: 1, default: 1 } };
const linkHeader = { Link: { description: 'RFC 8288 link to the next page (`rel="next"`), present only when there is one; it keeps `limit` and the filters.', schema: { type: 'string' } } };
const locationHeader = (what) => ({ Location: { description: `URL of the created ${what}.`, required: true, schema: { type: 'string' } } });
const read = [{ sessionCookie: [] }];
const write = [{ sessionCookie: [], csrfToken: [] }];
const bodyOf = (schema, mt = 'application/json') => ({ required: true, content: { [mt]: { schema } } });

const E = {
  400: problem('The request is malformed or a value breaks the schema; `errors` names each field.'),
  401: problem('No valid session cookie.'),
  '403w': problem('The X-CSRF-Token header is missing or does not match the session, or the caller\'s role may not do this.'),
  '403r': problem('The caller\'s role may not do this.'),
  404: problem('No such resource, or it is not visible to the caller.'),
  409: problem('The resource is not in a state that allows this.'),
  415: problem('The Content-Type is not the one documented.'),
};
const pick = (...codes) => Object.fromEntries(codes.map((c) => [String(c).replace(/[rw]$/, ''), E[c]]));

// writable survey members and the JSON Patch operations on them
const surveyFields = {
  title: { type: 'string', minLength: 1, maxLength: 120, description: 'Shown to respondents.' },
  description: { type: 'string', maxLength: 2000, nullable: true, description: 'Introduction shown above the questions; null for none.' },
  anonymous: { type: 'boolean', description: 'When true, responses and exports never name the respondent and the respondents list is not available.' },
  responseLimit: { type: 'integer', minimum: 1, maximum: 100000, nullable: true, description: 'Stop accepting responses after this many; null for no limit.' },
  closesAt: { type: 'string', format: 'date-time', nullable: true, description: 'Responses are refused after this instant; null for no deadline.' },
};
const patchOps = [
  {
    type: 'object', additionalProperties: false, required: ['op', 'path', 'value'],
    properties: { op: { type: 'string', enum: ['replace', 'add', 'test'] }, path: { type: 'string', enum: ['/title'] }, value: surveyFields.title },
  },
  ...['description', 'anonymous', 'responseLimit', 'closesAt'].map((f) => ({
    type: 'object', additionalProperties: false, required: ['op', 'path', 'value'],
    properties: { op: { type: 'string', enum: ['replace', 'add', 'test'] }, path: { type: 'string', enum: [`/${f}`] }, value: clone(surveyFields[f]) },
  })),
  {
    type: 'object', additionalProperties: false, required: ['op', 'path'],
    properties: { op: { type: 'string', enum: ['remove'] }, path: { type: 'string', enum: ['/description', '/responseLimit', '/closesAt'] } },
  },
];

const questionCommon = {
  id: { type: 'integer', format: 'int64', readOnly: true },
  surveyId: { type: 'integer', format: 'int64', readOnly: true },
  position: { type: 'integer', minimum: 1, readOnly: true, description: 'Questions are shown in the order they were added.' },
  prompt: { type: 'string', minLength: 1, maxLength: 500 },
  required: { type: 'boolean', default: false, description: 'A response must answer it.' },
};
const questionBranch = (title, kinds, extra, extraRequired) => ({
  title, type: 'object', additionalProperties: false,
  required: ['id', 'surveyId', 'position', 'kind', 'prompt', ...extraRequired],
  properties: { ...clone(questionCommon), kind: { type: 'string', enum: kinds }, ...extra },
});

const description = `Surveys: authors build questionnaires (draft → published → closed), respondents submit
responses, authors read reports and export the responses.

**Sign-in.** \`POST /session\` with a username and password answers the session (the user and a
\`csrfToken\`) and sets the \`sid\` cookie (HttpOnly, SameSite=Strict, 12 hours). Every other
operation needs that cookie; every state-changing request (POST, PUT, PATCH, DELETE) also needs
the session's token in the \`X-CSRF-Token\` header (403 without it). After 5 failed sign-ins for
one username within 15 minutes, further attempts for it answer 429 with \`Retry-After\` until the
window has passed. Unknown usernames and wrong passwords get the same 401.

**Roles.** \`owner\`: everything on their own surveys, deletes surveys, manages users' roles.
\`editor\`: creates and manages their own surveys, but cannot delete them. \`respondent\`: answers
published surveys and manages their own responses. A survey is visible only to its author
(another author gets 404); its published form is visible to every signed-in user.
\`POST /respondents\` lets anyone register a respondent account.

**Ready accounts** (username / password / role): \`olivia\` / \`olivia-pass-2026\` / owner,
\`oscar\` / \`oscar-pass-2026\` / owner, \`edith\` / \`edith-pass-2026\` / editor,
\`rhea\` / \`rhea-pass-2026\` / respondent, \`ravi\` / \`ravi-pass-2026\` / respondent.

**Lists** are JSON arrays paged with \`limit\` and \`page\`; the \`Link\` header gives the next page
(\`rel="next"\`) while there is one. **Errors** are RFC 7807 \`application/problem+json\`.
**Updates** of a survey are JSON Patch documents (RFC 6902, \`application/json-patch+json\`);
\`remove\` sets an optional member to null; a failed \`test\` answers 409 and changes nothing.`;

export const spec = {
  openapi: '3.0.3',
  info: { title: 'Surveys API', version: '1.0.0', description },
  servers: [{ url: '/api' }],
  tags: [
    { name: 'session' }, { name: 'surveys' }, { name: 'questions' }, { name: 'responses' },
    { name: 'reports' }, { name: 'admin', description: 'User management, owners only.' },
  ],
  security: read,
  paths: {
    '/session': {
      post: {
        operationId: 'signIn', tags: ['session'], summary: 'Sign in', security: [],
        requestBody: bodyOf(ref('Credentials')),
        responses: {
          201: json('Signed in; the `sid` cookie is set.', ref('Session'), { 'Set-Cookie': { description: '`sid=…; Path=/api; HttpOnly; SameSite=Strict`', required: true, schema: { type: 'string' } } }),
          400: E[400],
          401: problem('Unknown username or wrong password (the same answer for both).'),
          415: E[415],
          429: { ...problem('Too many failed sign-ins for this username.'), headers: { 'Retry-After': { description: 'Seconds to wait.', required: true, schema: { type: 'integer' } } } },
        },
      },
      delete: {
        operationId: 'signOut', tags: ['session'], summary: 'Sign out (ends this session)', security: write,
        responses: { 204: { description: 'Signed out; the cookie is cleared.' }, ...pick(401, '403w') },
      },
    },
    '/me': {
      get: { operationId: 'getMe', tags: ['session'], summary: 'The signed-in user', responses: { 200: json('The user.', ref('User')), ...pick(401) } },
    },
    '/respondents': {
      post: {
        operationId: 'registerRespondent', tags: ['session'], summary: 'Register a respondent account', security: [],
        requestBody: bodyOf(ref('Registration')),
        responses: { 201: json('The new account (role respondent).', ref('User')), ...pick(400), 409: problem('The username or e-mail is taken.'), ...pick(415) },
      },
    },
    '/users': {
      get: {
        operationId: 'listUsers', tags: ['admin'], summary: 'List accounts (owners only)', parameters: [limit, page],
        responses: { 200: json('A page of users.', { type: 'array', items: ref('User') }, linkHeader), ...pick(400, 401, '403r') },
      },
    },
    '/users/{userId}/role': {
      put: {
        operationId: 'setUserRole', tags: ['admin'], summary: 'Change a user\'s role (owners only; not their own)', security: write,
        parameters: [idParam('userId', 'The user.')], requestBody: bodyOf(ref('RoleChange')),
        responses: { 200: json('The updated user.', ref('User')), ...pick(400, 401, '403w', 404), 409: problem('An owner cannot change their own role.'), ...pick(415) },
      },
    },
    '/surveys': {
      get: {
        operationId: 'listSurveys', tags: ['surveys'], summary: 'List the caller\'s own surveys',
        parameters: [
          limit, page,
          { name: 'status', in: 'query', description: 'Only surveys in this state.', schema: { type: 'string', enum: ['draft', 'published', 'closed'] } },
          { name: 'q', in: 'query', description: 'Only surveys whose title contains this text (case-insensitive).', schema: { type: 'string', maxLength: 100 } },
        ],
        responses: { 200: json('A page of surveys, newest first.', { type: 'array', items: ref('Survey') }, linkHeader), ...pick(400, 401) },
      },
      post: {
        operationId: 'createSurvey', tags: ['surveys'], summary: 'Create a draft survey (owners and editors)', security: write,
        requestBody: bodyOf(ref('Survey')),
        responses: { 201: json('The survey, in state draft.', ref('Survey'), locationHeader('survey')), ...pick(400, 401, '403w', 415) },
      },
    },
    '/surveys/{surveyId}': {
      parameters: [idParam('surveyId', 'The survey.')],
      get: { operationId: 'getSurvey', tags: ['surveys'], summary: 'Read one of the caller\'s surveys', responses: { 200: json('The survey.', ref('Survey')), ...pick(400, 401, '403r', 404) } },
      patch: {
        operationId: 'updateSurvey', tags: ['surveys'], summary: 'Update a survey with a JSON Patch (draft or published)', security: write,
        requestBody: bodyOf({ type: 'array', minItems: 1, maxItems: 20, items: ref('SurveyPatchOperation') }, 'application/json-patch+json'),
        responses: { 200: json('The updated survey.', ref('Survey')), ...pick(400, 401, '403w', 404), 409: problem('The survey is closed, or a `test` operation failed.'), ...pick(415) },
      },
      delete: {
        operationId: 'deleteSurvey', tags: ['surveys'], summary: 'Delete a survey with its questions, responses and exports (owners only)', security: write,
        responses: { 204: { description: 'Deleted.' }, ...pick(400, 401, '403w', 404) },
      },
    },
    '/surveys/{surveyId}/publish': {
      parameters: [idParam('surveyId', 'The survey.')],
      post: {
        operationId: 'publishSurvey', tags: ['surveys'], summary: 'Publish a draft that has at least one question', security: write,
        responses: { 200: json('The survey, now published.', ref('Survey')), ...pick(400, 401, '403w', 404), 409: problem('The survey is not a draft, or has no question.') },
      },
    },
    '/surveys/{surveyId}/close': {
      parameters: [idParam('surveyId', 'The survey.')],
      post: {
        operationId: 'closeSurvey', tags: ['surveys'], summary: 'Close a published survey (no more responses)', security: write,
        responses: { 200: json('The survey, now closed.', ref('Survey')), ...pick(400, 401, '403w', 404), 409: problem('The survey is not published.') },
      },
    },
    '/surveys/{surveyId}/questions': {
      parameters: [idParam('surveyId', 'The survey.')],
      get: {
        operationId: 'listQuestions', tags: ['questions'], summary: 'List a survey\'s questions in order', parameters: [limit, page],
        responses: { 200: json('A page of questions.', { type: 'array', items: ref('Question') }, linkHeader), ...pick(400, 401, '403r', 404) },
      },
      post: {
        operationId: 'addQuestion', tags: ['questions'], summary: 'Add a question at the end (draft surveys only)', security: write,
        requestBody: bodyOf(ref('Question')),
        responses: { 201: json('The question.', ref('Question'), locationHeader('question')), ...pick(400, 401, '403w', 404), 409: problem('The survey is not a draft.'), ...pick(415) },
      },
    },
    '/surveys/{surveyId}/questions/{questionId}': {
      parameters: [idParam('surveyId', 'The survey.'), idParam('questionId', 'The question.')],
      get: { operationId: 'getQuestion', tags: ['questions'], summary: 'Read a question', responses: { 200: json('The question.', ref('Question')), ...pick(400, 401, '403r', 404) } },
      put: {
        operationId: 'replaceQuestion', tags: ['questions'], summary: 'Replace a question (draft surveys only)', security: write,
        requestBody: bodyOf(ref('Question')),
        responses: { 200: json('The question as stored.', ref('Question')), ...pick(400, 401, '403w', 404), 409: problem('The survey is not a draft.'), ...pick(415) },
      },
      delete: {
        operationId: 'deleteQuestion', tags: ['questions'], summary: 'Delete a question (draft surveys only)', security: write,
        responses: { 204: { description: 'Deleted; later questions move up.' }, ...pick(400, 401, '403w', 404), 409: problem('The survey is not a draft.') },
      },
    },
    '/surveys/{surveyId}/form': {
      parameters: [idParam('surveyId', 'The survey.')],
      get: {
        operationId: 'getForm', tags: ['responses'], summary: 'The questionnaire of a published or closed survey (any signed-in user; its author also sees drafts)',
        responses: { 200: json('The form.', ref('Form')), ...pick(400, 401, 404) },
      },
    },
    '/surveys/{surveyId}/responses': {
      parameters: [idParam('surveyId', 'The survey.')],
      get: {
        operationId: 'listResponses', tags: ['responses'], summary: 'List a survey\'s responses (its author)', parameters: [limit, page],
        responses: { 200: json('A page of responses, oldest first.', { type: 'array', items: ref('Submission') }, linkHeader), ...pick(400, 401, '403r', 404) },
      },
      post: {
        operationId: 'submitResponse', tags: ['responses'], summary: 'Answer a published survey (once per user)', security: write,
        description: 'Each answer names a question of the survey; every required question must be answered; a choice question takes one of its options (`single_choice`, a string) or a list of them (`multiple_choice`), a rating question an integer from 1 to its `scaleMax`, a text question a string.',
        requestBody: bodyOf(ref('Submission')),
        responses: {
          201: json('The response.', ref('Submission'), locationHeader('response')),
          400: problem('Malformed, or the answers do not fit the questions.'), ...pick(401, '403w', 404),
          409: problem('The survey is not open (draft, closed, past `closesAt`, or at its `responseLimit`), or the caller has already answered it.'), ...pick(415),
        },
      },
    },
    '/responses/{responseId}': {
      parameters: [idParam('responseId', 'The response.')],
      get: { operationId: 'getResponse', tags: ['responses'], summary: 'Read a response (its respondent or the survey\'s author)', responses: { 200: json('The response.', ref('Submission')), ...pick(400, 401, 404) } },
      delete: {
        operationId: 'withdrawResponse', tags: ['responses'], summary: 'Withdraw a response (its respondent while the survey is published; the survey\'s author any time)', security: write,
        responses: { 204: { description: 'Withdrawn.' }, ...pick(400, 401, '403w', 404), 409: problem('The survey is closed.') },
      },
    },
    '/surveys/{surveyId}/respondents': {
      parameters: [idParam('surveyId', 'The survey.')],
      get: {
        operationId: 'listRespondents', tags: ['reports'], summary: 'Who answered a survey (its author; not for anonymous surveys)', parameters: [limit, page],
        responses: { 200: json('A page of respondents.', { type: 'array', items: ref('Respondent') }, linkHeader), ...pick(400, 401, '403r', 404), 409: problem('The survey is anonymous.') },
      },
    },
    '/surveys/{surveyId}/report': {
      parameters: [idParam('surveyId', 'The survey.')],
      get: { operationId: 'getReport', tags: ['reports'], summary: 'Answer counts per question (its author)', responses: { 200: json('The report.', ref('Report')), ...pick(400, 401, '403r', 404) } },
    },
    '/surveys/{surveyId}/exports': {
      parameters: [idParam('surveyId', 'The survey.')],
      post: {
        operationId: 'createExport', tags: ['reports'], summary: 'Export a survey\'s responses (its author)', security: write,
        requestBody: bodyOf(ref('Export')),
        responses: { 201: json('The export, ready to download.', ref('Export'), locationHeader('export')), ...pick(400, 401, '403w', 404, 415) },
      },
    },
    '/exports/{exportId}': {
      parameters: [idParam('exportId', 'The export.')],
      get: { operationId: 'getExport', tags: ['reports'], summary: 'Read an export (its creator)', responses: { 200: json('The export.', ref('Export')), ...pick(400, 401, 404) } },
      delete: { operationId: 'deleteExport', tags: ['reports'], summary: 'Delete an export', security: write, responses: { 204: { description: 'Deleted.' }, ...pick(400, 401, '403w', 404) } },
    },
    '/exports/{exportId}/content': {
      parameters: [idParam('exportId', 'The export.')],
      get: {
        operationId: 'getExportContent', tags: ['reports'], summary: 'Download an export: CSV for format csv, a JSON array of responses for format json',
        responses: {
          200: {
            description: 'The exported responses.',
            content: {
              'text/csv': { schema: { type: 'string', description: 'Header `responseId,submittedAt,respondentId,q<questionId>…`, then one line per response.' } },
              'application/json': { schema: { type: 'array', items: ref('Submission') } },
            },
          },
          ...pick(400, 401, 404),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sid', description: 'Set by `POST /session`.' },
      csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The `csrfToken` of the session answer; needed on every state-changing request.' },
    },
    schemas: {
      Problem: {
        type: 'object', required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', required: ['pointer', 'message'], properties: { pointer: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
      Credentials: {
        type: 'object', additionalProperties: false, required: ['username', 'password'],
        properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 128, writeOnly: true, format: 'password' } },
        example: { username: 'jane', password: 'correct-horse-battery' },
      },
      Session: {
        type: 'object', additionalProperties: false, required: ['user', 'csrfToken', 'expiresAt'],
        properties: { user: ref('User'), csrfToken: { type: 'string', description: 'Send it as X-CSRF-Token on state-changing requests.' }, expiresAt: { type: 'string', format: 'date-time' } },
      },
      Registration: {
        type: 'object', additionalProperties: false, required: ['username', 'displayName', 'email', 'password'],
        properties: {
          username: { type: 'string', pattern: '^[a-z][a-z0-9_]{2,31}$' },
          displayName: { type: 'string', minLength: 1, maxLength: 80 },
          email: { type: 'string', format: 'email', maxLength: 254 },
          password: { type: 'string', minLength: 10, maxLength: 128, writeOnly: true, format: 'password' },
        },
      },
      User: {
        type: 'object', additionalProperties: false, required: ['id', 'username', 'displayName', 'email', 'role', 'createdAt'],
        properties: {
          id: { type: 'integer', format: 'int64' }, username: { type: 'string' }, displayName: { type: 'string' }, email: { type: 'string', format: 'email' },
          role: { type: 'string', enum: ['owner', 'editor', 'respondent'] }, createdAt: { type: 'string', format: 'date-time' },
        },
      },
      RoleChange: { type: 'object', additionalProperties: false, required: ['role'], properties: { role: { type: 'string', enum: ['owner', 'editor', 'respondent'] } } },
      Survey: {
        type: 'object', additionalProperties: false,
        required: ['id', 'title', 'status', 'ownerId', 'questionCount', 'responseCount', 'createdAt', 'updatedAt'],
        description: 'On create only `title` is needed; the other writable members default to null (anonymous: false). Read-only members sent by a client are ignored.',
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          ...clone(surveyFields),
          anonymous: { ...surveyFields.anonymous, default: false },
          status: { type: 'string', enum: ['draft', 'published', 'closed'], readOnly: true, description: 'Changed only by the publish and close actions.' },
          ownerId: { type: 'integer', format: 'int64', readOnly: true, description: 'The author.' },
          questionCount: { type: 'integer', minimum: 0, readOnly: true },
          responseCount: { type: 'integer', minimum: 0, readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
          updatedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      SurveyPatchOperation: { oneOf: patchOps, description: 'One RFC 6902 operation on a writable member.' },
      Question: {
        description: 'A question; `kind` decides its shape.',
        oneOf: [
          questionBranch('ChoiceQuestion', ['single_choice', 'multiple_choice'], {
            options: { type: 'array', minItems: 2, maxItems: 20, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 } },
          }, ['options']),
          questionBranch('RatingQuestion', ['rating'], { scaleMax: { type: 'integer', minimum: 2, maximum: 10, description: 'Answers go from 1 to scaleMax.' } }, ['scaleMax']),
          questionBranch('TextQuestion', ['text'], {}, []),
        ],
      },
      Answer: {
        type: 'object', additionalProperties: false, required: ['questionId', 'value'],
        properties: {
          questionId: { type: 'integer', format: 'int64', minimum: 1 },
          value: { oneOf: [{ type: 'string', maxLength: 2000 }, { type: 'integer', minimum: 1, maximum: 10 }, { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string' } }] },
        },
      },
      Submission: {
        type: 'object', additionalProperties: false, required: ['id', 'surveyId', 'respondentId', 'answers', 'submittedAt'],
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          surveyId: { type: 'integer', format: 'int64', readOnly: true },
          respondentId: { type: 'integer', format: 'int64', nullable: true, readOnly: true, description: 'null on anonymous surveys.' },
          answers: { type: 'array', minItems: 1, maxItems: 200, items: ref('Answer') },
          submittedAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
      Form: {
        type: 'object', additionalProperties: false, required: ['id', 'title', 'description', 'status', 'closesAt', 'questions'],
        properties: {
          id: { type: 'integer', format: 'int64' }, title: { type: 'string' }, description: { type: 'string', nullable: true },
          status: { type: 'string', enum: ['draft', 'published', 'closed'] }, closesAt: { type: 'string', format: 'date-time', nullable: true },
          questions: { type: 'array', items: ref('Question') },
        },
      },
      Respondent: {
        type: 'object', additionalProperties: false, required: ['userId', 'username', 'displayName', 'submittedAt'],
        properties: { userId: { type: 'integer', format: 'int64' }, username: { type: 'string' }, displayName: { type: 'string' }, submittedAt: { type: 'string', format: 'date-time' } },
      },
      Report: {
        type: 'object', additionalProperties: false, required: ['surveyId', 'status', 'responseCount', 'questions'],
        properties: {
          surveyId: { type: 'integer', format: 'int64' },
          status: { type: 'string', enum: ['draft', 'published', 'closed'] },
          responseCount: { type: 'integer', minimum: 0 },
          questions: {
            type: 'array',
            items: {
              type: 'object', additionalProperties: false, required: ['questionId', 'kind', 'answered', 'counts', 'average'],
              properties: {
                questionId: { type: 'integer', format: 'int64' },
                kind: { type: 'string', enum: ['single_choice', 'multiple_choice', 'rating', 'text'] },
                answered: { type: 'integer', minimum: 0 },
                counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'Per option (choice) or per score (rating); empty for text.' },
                average: { type: 'number', nullable: true, description: 'Mean score of a rating question; null otherwise or when unanswered.' },
              },
            },
          },
        },
      },
      Export: {
        type: 'object', additionalProperties: false, required: ['id', 'surveyId', 'format', 'rowCount', 'createdAt'],
        properties: {
          id: { type: 'integer', format: 'int64', readOnly: true },
          surveyId: { type: 'integer', format: 'int64', readOnly: true },
          format: { type: 'string', enum: ['csv', 'json'] },
          rowCount: { type: 'integer', minimum: 0, readOnly: true },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
        },
      },
    },
  },
};

writeSpecIfMain(import.meta.url, spec, '# Surveys API: generated by `node spec.mjs` from spec.mjs; it describes the clean variant.');
