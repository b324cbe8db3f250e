/**
 * HMAC secrets that tutorials, framework defaults, sample .env files and leaked-config lists use
 * again and again (the jwt.io defaults, "secret", "changeme" …). weak_jwt_secret tries each one
 * offline; a report never names which one matched.
 */
export const COMMON_JWT_SECRETS: readonly string[] = [
  "secret", "Secret", "SECRET", "secretkey", "secret-key", "secret_key", "secretKey", "SECRET_KEY", "mysecret", "my-secret", "my_secret",
  "mysecretkey", "my-secret-key", "my_secret_key", "mySecretKey", "MySecretKey", "supersecret", "super-secret", "super_secret", "superSecret",
  "supersecretkey", "super-secret-key", "topsecret", "top-secret", "s3cr3t", "s3cret", "secret123", "secret1", "secret!", "thisisasecret",
  "this-is-a-secret", "ThisIsASecret", "thisismysecret", "thisIsMySecret", "notasecret", "not-a-secret", "notsosecret", "shhhhh", "shhhhhhared-secret",
  "your-256-bit-secret", "your-384-bit-secret", "your-512-bit-secret", "a-string-secret-at-least-256-bits-long", "your-secret-key", "your_secret_key",
  "your-secret", "yoursecret", "your_jwt_secret", "your-jwt-secret", "jwt_secret", "jwt-secret", "jwtsecret", "jwtSecret", "JWT_SECRET", "jwt",
  "jwtkey", "jwt-key", "jwt_key", "jwtsecretkey", "jwt-secret-key", "JWT_SECRET_KEY", "token", "tokensecret", "token-secret", "token_secret",
  "auth", "authsecret", "auth-secret", "auth_secret", "authkey", "appsecret", "app-secret", "app_secret", "APP_SECRET", "apisecret", "api-secret",
  "api_secret", "apikey", "key", "Key", "KEY", "privatekey", "private-key", "private_key", "private", "hmac", "hmacsecret", "hs256", "HS256",
  "changeme", "change-me", "change_me", "changeit", "CHANGE_ME", "changethis", "change-this", "replaceme", "replace-me", "default", "defaultsecret",
  "password", "Password", "password1", "password123", "passw0rd", "p@ssw0rd", "admin", "admin123", "root", "toor", "test", "test123", "testing",
  "testsecret", "test-secret", "dev", "development", "devsecret", "dev-secret", "prod", "production", "local", "example", "sample", "demo",
  "123456", "1234567", "12345678", "123456789", "1234567890", "0123456789", "qwerty", "qwertyuiop", "abc123", "abcdef", "abcdefg", "letmein",
  "welcome", "iloveyou", "monkey", "dragon", "keyboard cat", "keyboardcat", "gottagofast", "cat", "dog", "foo", "bar", "foobar", "hello", "helloworld",
  "hello world", "random", "randomsecret", "random-secret", "session", "sessionsecret", "session-secret", "cookie", "cookiesecret", "express",
  "node", "nodejs", "flask", "django", "rails", "laravel", "spring", "springboot", "java", "python", "golang", "react", "angular", "vue", "next",
  "nextauth", "NEXTAUTH_SECRET", "strapi", "keystone", "loopback", "feathers", "nest", "nestjs", "hapi", "koa", "fastify", "sails", "meteor",
  "x", "xxx", "xxxx", "a", "aaaaaa", "none", "null", "undefined", "pass", "pass123", "user", "guest", "login", "master", "mastersecret",
];
