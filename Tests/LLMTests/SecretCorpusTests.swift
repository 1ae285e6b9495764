import ChatOpsCore
import Foundation
import LLM
import Testing

/// Text a backend printed with a secret in it, and the exact secret that must not reach chat or a model.
struct SecretLeak: Sendable, CustomTestStringConvertible {
    let text: String
    let secret: String
    init(_ text: String, secret: String) {
        self.text = text
        self.secret = secret
    }
    var testDescription: String { "\(secret) in \(text.prefix(60))" }
}

/// Text that looks a little like a secret but is not, and must come out byte for byte unchanged.
struct LookAlike: Sendable, CustomTestStringConvertible {
    let text: String
    init(_ text: String) { self.text = text }
    var testDescription: String { String(text.prefix(80)) }
}

/// Text and exactly what it must become: the name and separator stay, only the value goes.
struct KeptName: Sendable, CustomTestStringConvertible {
    let text: String
    let expected: String
    init(_ text: String, _ expected: String) {
        self.text = text
        self.expected = expected
    }
    var testDescription: String { text }
}

enum SecretCorpus {
    static let leaks: [SecretLeak] = [
        // Environment dumps (`env`, `export`, `declare -x`, `docker inspect`, .env files, Windows `set`)
        SecretLeak("DB_PASSWORD=hunter2hunter2\nDB_HOST=db.internal", secret: "hunter2hunter2"),
        SecretLeak("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        SecretLeak("MLFLOW_TRACKING_TOKEN: 9f8e7d6c5b4a3928", secret: "9f8e7d6c5b4a3928"),
        SecretLeak("MLFLOW_TRACKING_USERNAME=bot\nMLFLOW_TRACKING_PASSWORD=mlfl0w-pw", secret: "mlfl0w-pw"),
        SecretLeak("+ PGPASSWORD=Sup3rS3cret psql -h db -U mlflow -c 'select 1'", secret: "Sup3rS3cret"),
        SecretLeak("MYSQL_PWD=rootpw99 mysqldump ml > dump.sql", secret: "rootpw99"),
        SecretLeak("RABBITMQ_DEFAULT_USER=ml\nRABBITMQ_DEFAULT_PASS=bunnyhop42", secret: "bunnyhop42"),
        SecretLeak(#"declare -x VAULT_TOKEN="s.Xq81LzP0aBcDeFgH""#, secret: "s.Xq81LzP0aBcDeFgH"),
        SecretLeak(#"docker inspect: "Env": ["PATH=/usr/local/bin", "POSTGRES_PASSWORD=pg-pass-2024", "LANG=C.UTF-8"]"#, secret: "pg-pass-2024"),
        SecretLeak("azure_client_secret=Qx8~abc.DEF_123", secret: "Qx8~abc.DEF_123"),
        SecretLeak("SENDGRID_API_KEY='SG.abc123.def456'", secret: "SG.abc123.def456"),
        SecretLeak(#"C:\jobs> set WANDB_API_KEY=0123456789abcdef0123456789abcdef01234567"#, secret: "0123456789abcdef0123456789abcdef01234567"),
        SecretLeak("DJANGO_SECRET_KEY=django-insecure-q9#x!", secret: "django-insecure-q9#x!"),
        SecretLeak("Step 4/9 : ENV DB_PASSWORD dock3rfilePw", secret: "dock3rfilePw"),
        SecretLeak("DB_PASSWORD=spaced0ut Tail2nd\nDB_HOST=db", secret: "Tail2nd"),
        SecretLeak("WEBHOOK_SECRET=whs3c,c0mmaTail", secret: "c0mmaTail"),
        SecretLeak("export PGPASSWORD=semi;c0lonTail", secret: "c0lonTail"),
        SecretLeak("set SQL_PASSWORD=Win Pass 99", secret: "Pass 99"),
        SecretLeak("[default]\npassword = ini v4lue with spaces", secret: "with spaces"),
        SecretLeak("SECRET_KEY_BASE=9f1c0e6a7b3d2e8f5a4c", secret: "9f1c0e6a7b3d2e8f5a4c"),
        SecretLeak("production:\n  secret_key_base: 4b2a9e7d1c0f3a6b", secret: "4b2a9e7d1c0f3a6b"),
        SecretLeak("FERNET_KEY=81HqDtbqAywKSOumSha3BhWNOdQ26slT6K0YaZeZyPs=", secret: "81HqDtbqAywKSOumSha3BhWNOdQ26slT6K0YaZeZyPs="),
        SecretLeak(
            "AIRFLOW__CORE__FERNET_KEY=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==\nAIRFLOW__CORE__EXECUTOR=CeleryExecutor",
            secret: "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="),
        SecretLeak("JWT_SECRET=jwtS1gningS3cret", secret: "jwtS1gningS3cret"),
        SecretLeak(#"{"session_key": "5e55i0nK3yValue", "user": 42}"#, secret: "5e55i0nK3yValue"),
        SecretLeak("HMAC_KEY: hm4cK3yValue", secret: "hm4cK3yValue"),

        // Command lines echoed by programs and shells (`set -x`, ps, job specs)
        SecretLeak("+ ./deploy.sh --model fraud --password Zq7", secret: "Zq7"),
        SecretLeak("exec: mlflow-sync --password=Tr0ub4dor --verbose", secret: "Tr0ub4dor"),
        SecretLeak("running uploader --token abc123def456 --dry-run", secret: "abc123def456"),
        SecretLeak("cli --api-key 'k3y with spaces' --region eu", secret: "k3y with spaces"),
        SecretLeak(#"az login --service-principal -u app --client-secret="cl1ent-s3cr3t""#, secret: "cl1ent-s3cr3t"),
        SecretLeak("java -Djavax.net.ssl.keyStorePassword=changeit99 -jar scorer.jar", secret: "changeit99"),
        SecretLeak("helm upgrade fraud ./chart --set db.password=h3lmPass,replicas=3", secret: "h3lmPass"),
        SecretLeak("kubectl create secret generic db --from-literal=password=Kub3Pass", secret: "Kub3Pass"),
        SecretLeak("2024/05/01 exporter -token 5ecretT0k -addr :9100", secret: "5ecretT0k"),
        SecretLeak("docker run -e REDIS_PASSWORD=r3disPass -p 6379:6379 redis", secret: "r3disPass"),
        SecretLeak("trainer --DB-PASSWORD SHOUTpw1 --epochs 3", secret: "SHOUTpw1"),

        // Programs' short password flags, whose letters mean other things elsewhere
        SecretLeak("+ mysql -h db -uroot -pMyS9lAttached -e 'select 1'", secret: "MyS9lAttached"),
        SecretLeak("mysqldump -u backup -p'Dump3r!pw' --all-databases > all.sql", secret: "Dump3r!pw"),
        SecretLeak("kubectl exec -it mariadb-0 -- mariadb-dump -uroot -pMar1aPw ml", secret: "Mar1aPw"),
        SecretLeak("redis-cli -h cache -p 6379 -a R3disAuthPw --no-auth-warning ping", secret: "R3disAuthPw"),
        SecretLeak("curl -sS -u admin:Cu7lPass https://nexus.internal/service/rest/v1/status", secret: "Cu7lPass"),
        SecretLeak(#"curl "https://jenkins.internal/job/x/build?delay=0&cause=ci" --user ci:J3nkinsT0k"#, secret: "J3nkinsT0k"),
        SecretLeak("docker login -u bob -p D0ckerHubPw registry.example.com", secret: "D0ckerHubPw"),
        SecretLeak("oc login https://api.ocp.example:6443 -u developer -p 0cLoginPw", secret: "0cLoginPw"),
        SecretLeak("sshpass -p Ssh9assPw ssh -p 2222 deploy@10.0.0.5 uptime", secret: "Ssh9assPw"),
        SecretLeak("Step 6/9 : RUN htpasswd -bc /etc/nginx/.htpasswd admin Htp4sswd", secret: "Htp4sswd"),
        SecretLeak("sqlcmd -S tcp:db,1433 -U sa -P Sq1CmdPw! -Q \"SELECT 1\"", secret: "Sq1CmdPw!"),
        SecretLeak("mongodump -h db -u backup -p M0ngoDumpPw --out /backup", secret: "M0ngoDumpPw"),
        SecretLeak("keytool -importkeystore -srckeystore in.p12 -srcstorepass Src5torePw -destkeystore out.jks", secret: "Src5torePw"),
        SecretLeak("openssl pkcs12 -export -in cert.pem -passout pass:P12exportPw -out cert.p12", secret: "P12exportPw"),

        // JSON and YAML configs, API responses, Python and Java object dumps
        SecretLeak(#"{"db_host": "db", "db_password": "hunter3hunter3"}"#, secret: "hunter3hunter3"),
        SecretLeak(#"{"clientId": "app", "clientSecret": "c-s3cr3t-v4lue"}"#, secret: "c-s3cr3t-v4lue"),
        SecretLeak("llm:\n  apiKey: 0123abcd\n  model: gpt", secret: "0123abcd"),
        SecretLeak(
            #"{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"}"#,
            secret: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        SecretLeak(#"{"access_token": "ya29.a0AfH6SMBx", "token_type": "Bearer", "expires_in": 3599}"#, secret: "ya29.a0AfH6SMBx"),
        SecretLeak(#"{"refreshToken":"rt-0a1b2c3d","user":"bot"}"#, secret: "rt-0a1b2c3d"),
        SecretLeak(#"{"level":"info","body":"{\"user\":\"alice\",\"password\":\"esc4ped!\"}"}"#, secret: "esc4ped!"),
        SecretLeak("slack:\n  signing_secret: 8f14e45fceea167a\n  channel: ops", secret: "8f14e45fceea167a"),
        SecretLeak("database:\n  password: \"correct horse battery\"\n  pool: 5", secret: "correct horse battery"),
        SecretLeak("psycopg2.connect(**{'host': 'db', 'password': 'py-dict-pw'})", secret: "py-dict-pw"),
        SecretLeak(#"{"auths": {"ghcr.io": {"auth": "YWxpY2U6aHVudGVyMg=="}}}"#, secret: "YWxpY2U6aHVudGVyMg=="),
        SecretLeak(#"crypto: {encryptionKey = "3ncrypt10nK3y"}"#, secret: "3ncrypt10nK3y"),
        SecretLeak("data:\n  tls.crt: LS0tLS1CRUdJTiBDRVJU\n  tls.key: LS0tLS1CRUdJTiBQUklWQVRF", secret: "LS0tLS1CRUdJTiBQUklWQVRF"),
        SecretLeak("DataSourceConfig{url=jdbc:postgresql://db/ml, username=ml, password=javaT0String}", secret: "javaT0String"),
        SecretLeak("'SECRET' => 'php-s3cret',", secret: "php-s3cret"),
        SecretLeak("[DEBUG] settings.xml: <server><id>nexus</id><username>ci</username><password>m4venPw</password></server>", secret: "m4venPw"),
        SecretLeak(#"<appSettings><add key="Password" value="AppS3ttingPw"/></appSettings>"#, secret: "AppS3ttingPw"),
        SecretLeak(#"<entry name="password">EntryN4medPw</entry>"#, secret: "EntryN4medPw"),
        SecretLeak(#"<property name="hibernate.connection.password" value="Pr0pertyPw"/>"#, secret: "Pr0pertyPw"),
        SecretLeak("<entry key='api.token'>3ntryT0kenValue</entry>", secret: "3ntryT0kenValue"),

        // YAML block scalars: every indented line goes
        SecretLeak("stringData:\n  password: |\n    Bl0ckSc4lar\n    sec0ndLine\n  username: ml", secret: "sec0ndLine"),
        SecretLeak(
            "data:\n  private_key: |-\n    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n\n    VJTUt9Us8cKjMzEfYyjiWA4R4\n  other: x",
            secret: "VJTUt9Us8cKjMzEfYyjiWA4R4"),
        SecretLeak("token: >-\n  folded-t0ken-part1\n  folded-t0ken-part2\nexpires: 3600", secret: "folded-t0ken-part2"),
        SecretLeak("users:\n- name: ci\n  password: |\n    l1stItemPw\n- name: bot", secret: "l1stItemPw"),

        // SQL that sets a password (migrations, psql -c, mysql -e, audit logs)
        SecretLeak("psql -c \"ALTER ROLE mlflow WITH PASSWORD 'Alt3rRolePw'\"", secret: "Alt3rRolePw"),
        SecretLeak("CREATE ROLE reporter LOGIN ENCRYPTED PASSWORD 'md5c0ffee1234';", secret: "md5c0ffee1234"),
        SecretLeak("CREATE USER 'app'@'%' IDENTIFIED BY 'MyS9lUserPw';", secret: "MyS9lUserPw"),
        SecretLeak("ALTER USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY 'Sha2UserPw';", secret: "Sha2UserPw"),
        SecretLeak("SET PASSWORD FOR 'app'@'localhost' = 'S3tPasswordPw';", secret: "S3tPasswordPw"),
        SecretLeak("ORA-01017 after: ALTER USER scott IDENTIFIED BY Tig3rOracle;", secret: "Tig3rOracle"),
        SecretLeak("CREATE USER x WITH PASSWORD 'it''s quot3d';", secret: "s quot3d"),

        // kubeconfig
        SecretLeak("users:\n- name: bot\n  user:\n    token: 7c1f0e2b9a8d6e5f", secret: "7c1f0e2b9a8d6e5f"),
        SecretLeak(
            "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==",
            secret: "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ=="),
        SecretLeak(
            "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=", secret: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM="),
        SecretLeak("  user:\n    username: admin\n    password: kub3cfg-pw", secret: "kub3cfg-pw"),

        // Connection strings (ADO.NET, ODBC, Azure, URLs, JDBC, libpq) and exceptions quoting them
        SecretLeak("Server=tcp:sql.example.net,1433;Database=ml;User ID=sa;Password=Ad0Net!pw;Encrypt=True;", secret: "Ad0Net!pw"),
        SecretLeak("Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd=odbcPw77;", secret: "odbcPw77"),
        SecretLeak(
            "DefaultEndpointsProtocol=https;AccountName=mlstore;AccountKey=c3RvcmFnZWtleQ==;EndpointSuffix=core.windows.net",
            secret: "c3RvcmFnZWtleQ=="),
        SecretLeak("Endpoint=sb://ml.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=sbK3y+abc=", secret: "sbK3y+abc="),
        SecretLeak(
            "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not connect: postgresql+psycopg2://mlflow:saPw42@db:5432/mlflow",
            secret: "saPw42"),
        SecretLeak("redis.exceptions.ConnectionError: redis://:r3disUrlPw@cache:6379/0 refused", secret: "r3disUrlPw"),
        SecretLeak("pymongo.errors.ServerSelectionTimeoutError: mongodb+srv://app:m0ngoPw@cluster0.x.mongodb.net/db", secret: "m0ngoPw"),
        SecretLeak("java.sql.SQLException: Access denied: jdbc:mysql://db:3306/ml?user=root&password=jdbcPw1&useSSL=true", secret: "jdbcPw1"),
        SecretLeak("psycopg2.OperationalError: invalid dsn: dbname=ml user=mlflow password=libpqPw host=db", secret: "libpqPw"),
        SecretLeak("remote: fetching https://oauth2:glToken99x@gitlab.example.com/ml/fraud.git", secret: "glToken99x"),
        SecretLeak(
            "downloading https://models.s3.amazonaws.com/fraud/v12.onnx?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=5f2b9c0d1e7a&X-Amz-Expires=900",
            secret: "5f2b9c0d1e7a"),
        SecretLeak("azcopy copy 'https://ml.blob.core.windows.net/models?sv=2022-11-02&ss=b&sig=AbC%2Bd3f%3D' .", secret: "AbC%2Bd3f%3D"),

        // ini files and .netrc
        SecretLeak("[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = iniS3cretKey", secret: "iniS3cretKey"),
        SecretLeak("[profile ml]\naws_session_token = FwoGZXIvYXdzEBYaD", secret: "FwoGZXIvYXdzEBYaD"),
        SecretLeak("machine api.github.com login alice password n3trcPw", secret: "n3trcPw"),
        SecretLeak("machine mlflow.internal\n  login bot\n  password hunter2", secret: "hunter2"),

        // HTTP headers in curl -v output, stack traces and request dumps
        SecretLeak("> GET /api/2.0/mlflow/runs HTTP/1.1\n> Authorization: Bearer abc.def.ghi-123\n> Accept: */*", secret: "abc.def.ghi-123"),
        SecretLeak("> Cookie: sessionid=s3ss10nXyz; csrftoken=csrfT0kAbc", secret: "s3ss10nXyz"),
        SecretLeak("< Set-Cookie: session=setC00kie; Path=/; HttpOnly", secret: "setC00kie"),
        SecretLeak(
            "requests.exceptions.HTTPError: 401 for headers {'User-Agent': 'python-requests/2.31', 'Authorization': 'Basic YWxpY2U6c2VjcmV0'}",
            secret: "YWxpY2U6c2VjcmV0"),
        SecretLeak("java.io.IOException: proxy refused; request headers: Proxy-Authorization: Basic cHJveHk6cHc=", secret: "cHJveHk6cHc="),
        SecretLeak("X-Vault-Token: hvs.CAESIJ0a1b2c3d", secret: "hvs.CAESIJ0a1b2c3d"),
        SecretLeak("x-api-key: abcd1234efgh", secret: "abcd1234efgh"),
        SecretLeak(#"headers={"Authorization": "Token 0123abcd4567", "Accept": "application/json"}"#, secret: "0123abcd4567"),

        // Tokens recognised by their shape, wherever they are
        SecretLeak("posting with xoxb-123456789012-abcdefghijkl", secret: "xoxb-123456789012"),
        SecretLeak("git remote: ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", secret: "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"),
        SecretLeak("openai.AuthenticationError: Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78Ij90", secret: "sk-proj-Ab12Cd34Ef56Gh78Ij90"),
        SecretLeak(
            "maps call https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
            secret: "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"),
        SecretLeak("botocore: using credentials AKIAIOSFODNN7EXAMPLE", secret: "AKIAIOSFODNN7EXAMPLE"),
        SecretLeak("assumed role, temporary key ASIAQWERTYUIOP123456", secret: "ASIAQWERTYUIOP123456"),
        SecretLeak("huggingface_hub: logged in with hf_AbCdEfGhIjKlMnOpQrStUvWx", secret: "hf_AbCdEfGhIjKlMnOpQrStUvWx"),
        SecretLeak(
            "stripe.error.AuthenticationError: Invalid API Key provided: sk_live_4eC39HqLyjWDarjtT1zdp7dc", secret: "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
        ),
        SecretLeak("id token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJlX3ZhbHVl", secret: "c2lnbmF0dXJlX3ZhbHVl"),
        SecretLeak("alerting to https://hooks.slack.com/services/T0001/B0002/XXXXsecretpathXXXX", secret: "XXXXsecretpathXXXX"),
        SecretLeak("npm notice using npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", secret: "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
        SecretLeak("retrying with bearer abcdefghijklmnopqrstu", secret: "abcdefghijklmnopqrstu"),

        // Private keys, whole or cut off by a log tail
        SecretLeak(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAzY1xq\nw8e9f0g1h2\n-----END RSA PRIVATE KEY-----", secret: "MIIEowIBAAKCAQEAzY1xq"),
        SecretLeak("key file:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", secret: "b3BlbnNzaC1rZXktdjEAAAAA"),
    ]

    static let innocents: [LookAlike] = [
        // Counts, limits and settings whose names merely contain a secret word
        LookAlike("token_count: 512"),
        LookAlike("tokens_in: 1200, tokens_out: 87"),
        LookAlike("max_tokens=256 temperature=0.2"),
        LookAlike(#"{"usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}}"#),
        LookAlike("password_policy: strict"),
        LookAlike("passwordless: true"),
        LookAlike("PASSWORD_MIN_LENGTH=12"),
        LookAlike("PASSWORD_FILE=/run/secrets/db-password"),
        LookAlike("secret_name: fraud-db-creds"),
        LookAlike("secretName: fraud-tls"),
        LookAlike("tokenizer: bpe, tokenizer_path: /models/fraud/tokenizer.json"),
        LookAlike("TOKENIZERS_PARALLELISM=false"),
        LookAlike("use_auth_token: false"),
        LookAlike(#"{"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "cls_token": "[CLS]"}"#),
        LookAlike("password: ${DB_PASSWORD}"),
        LookAlike("token: {{ .Values.mlflow.token }}"),
        LookAlike("\"token\": \"\""),
        LookAlike("--token-count 5"),
        LookAlike("docker login --username bot --password-stdin ghcr.io"),
        LookAlike("usage: deploy [-h] [--token TOKEN] [--password PASSWORD] model"),

        // Keys that are not secret keys
        LookAlike("api_version: v1"),
        LookAlike("primary_key: id"),
        LookAlike("sort_key=created_at partition_key=user_id"),
        LookAlike("key=value"),
        LookAlike("<passwordPolicy>strict</passwordPolicy><tokenizer>bpe</tokenizer>"),
        LookAlike("idempotency_key: 7f9c2ba4e88f827d"),
        LookAlike("public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpk alice@laptop"),
        LookAlike("keyboard layout: us"),
        LookAlike("monkey=3"),
        LookAlike("AWS_REGION=eu-west-1"),
        LookAlike("PWD=/srv/app\nOLDPWD=/home/bot"),
        LookAlike("SESSION_KEY_PREFIX=ml:sess:\nsession_timeout: 30m"),
        LookAlike("FOREIGN_KEY_CHECKS=0"),
        LookAlike("jwt_public_key: /etc/jwt/public.pem"),
        LookAlike("FERNET_KEY_FILE=/run/secrets/fernet"),
        LookAlike("DB_PASSWORD=\nDB_HOST=db"),
        LookAlike(#"<add key="PasswordLength" value="12"/><add key="RequireToken" value="true"/>"#),
        LookAlike(#"<property name="db.password" value="${DB_PASSWORD}"/>"#),
        LookAlike(#"<property name="hibernate.connection.username" value="app"/>"#),

        // Short flags that are not passwords: ports, parents, archives, users
        LookAlike("mkdir -p /srv/app && cp -a model/ /srv/app/"),
        LookAlike("tar -xpf backup.tar -C /srv"),
        LookAlike("ps -u root -o pid,cmd"),
        LookAlike("ls -la /var/lib/mysql"),
        LookAlike("redis-cli -h cache -p 6379 ping"),
        LookAlike("redis-cli --askpass -h cache ping"),
        LookAlike("ssh -p 2222 deploy@10.0.0.5 && scp -P 2222 model.onnx deploy@10.0.0.5:/srv"),
        LookAlike("mysql -h db -P 3306 -u root -p mlflow"),
        LookAlike("mysqldump -u backup -p --single-transaction ml > ml.sql"),
        LookAlike("kubectl exec -it mysql-0 -- mysql -u root -p"),
        LookAlike("mongosh -u admin -p --authenticationDatabase admin"),
        LookAlike("curl -u admin https://nexus.internal:8443/service/rest/v1/status"),
        LookAlike("docker run --rm -u 1000:1000 -p 8080:80 fraud-api:v12"),
        LookAlike("docker login -u bob --password-stdin ghcr.io && docker run -p 8080:80 ghcr.io/acme/app"),
        LookAlike("sshpass -f /run/secrets/ssh-pw ssh -p 2222 deploy@10.0.0.5"),
        LookAlike("htpasswd -c /etc/nginx/.htpasswd alice"),
        LookAlike("rsync -a -e 'ssh -p 2222' model/ deploy@10.0.0.5:/srv/model/"),
        LookAlike("openssl pkcs12 -in cert.p12 -passin env:P12_PASSWORD -nokeys"),

        // SQL and YAML that set no password
        LookAlike("ALTER USER app PASSWORD EXPIRE;"),
        LookAlike("ALTER ROLE app WITH LOGIN NOSUPERUSER VALID UNTIL 'infinity';"),
        LookAlike("CREATE USER 'app'@'%' IDENTIFIED WITH auth_socket;"),
        LookAlike("ALTER USER app IDENTIFIED BY RANDOM PASSWORD;"),
        LookAlike("SELECT user, password_last_changed FROM mysql.user;"),
        LookAlike("the run is identified by its name"),
        LookAlike("script: |\n  echo \"rotating the password\"\n  ./rotate.sh"),
        LookAlike("password_policy: |\n  min length 12\n  rotate 90d"),

        // Prose and log lines
        LookAlike("the secretary filed the report"),
        LookAlike("the token budget is 512"),
        LookAlike("passwords must rotate every 90 days"),
        LookAlike("the bearer of bad news"),
        LookAlike("Basic authentication is disabled for this endpoint"),
        LookAlike(#"psql: error: FATAL:  password authentication failed for user "mlflow""#),
        LookAlike("token refreshed, expires_in=3600"),
        LookAlike(#"MountVolume.SetUp failed for volume "creds" : secret "db-creds" not found"#),
        LookAlike("secret/db-creds created"),
        LookAlike("Data\n====\npassword:  16 bytes\nusername:  6 bytes"),
        LookAlike("KeyError: 'password'"),
        LookAlike("Password expired"),
        LookAlike("mounted /var/run/secrets/kubernetes.io/serviceaccount/token read-only"),
        LookAlike(#"WWW-Authenticate: Bearer realm="https://auth.docker.io/token",service="registry.docker.io""#),
        LookAlike("at com.example.auth.TokenService.refresh(TokenService.java:42)"),

        // Models, metrics, digests, ids, Kubernetes names, URLs and paths
        LookAlike("Deployed fraud-model v12 to prod: accuracy 0.912, p95 41 ms, 3/3 replicas"),
        LookAlike("image: ghcr.io/acme/fraud@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        LookAlike("digest: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        LookAlike("request_id=3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f"),
        LookAlike("commit 3f2a9c1e7b4d4e8a9c0f1a2b3c4d5e6f7a8b9c0d"),
        LookAlike("pod/fraud-predictor-7d9f8c6b5-x2x9z 1/1 Running"),
        LookAlike("deployment.apps/sk-ranker-predictor-00001-deployment scaled"),
        LookAlike("from huggingface_hub import hf_hub_download"),
        LookAlike("certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"),
        LookAlike("server: https://10.0.0.1:6443"),
        LookAlike("tracking uri https://mlflow.internal:5000/#/experiments/3"),
        LookAlike("git@github.com:acme/fraud.git and ssh://git@github.com/acme/fraud.git"),
        LookAlike("GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json"),
        LookAlike("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"),
        LookAlike("epoch 3/10 loss: 0.231 val_loss: 0.245"),
    ]

    static let exact: [KeptName] = [
        KeptName("DB_PASSWORD=hunter2hunter2", "DB_PASSWORD=[REDACTED]"),
        KeptName("--password x", "--password [REDACTED]"),
        KeptName("--password=x", "--password=[REDACTED]"),
        KeptName("\"db_password\": \"x\"", "\"db_password\": \"[REDACTED]\""),
        KeptName("apiKey: x1", "apiKey: [REDACTED]"),
        KeptName("export AWS_SECRET_ACCESS_KEY=abc/def", "export AWS_SECRET_ACCESS_KEY=[REDACTED]"),
        KeptName("Password=Ad0Net!pw;Encrypt=True;", "Password=[REDACTED];Encrypt=True;"),
        KeptName("postgres://mlflow:pw@db:5432/ml", "postgres://mlflow:[REDACTED]@db:5432/ml"),
        KeptName("Authorization: Bearer abcdefghijklmnop1234", "Authorization: Bearer [REDACTED]"),
        KeptName("DB_PASSWORD=Hunter2 Hunter2", "DB_PASSWORD=[REDACTED]"),
        KeptName("secret=ab,cd", "secret=[REDACTED]"),
        KeptName("PASSWORD=ab;cd", "PASSWORD=[REDACTED]"),
        KeptName("DB_PASSWORD=Hunter2 DB_USER=bot", "DB_PASSWORD=[REDACTED] DB_USER=bot"),
        KeptName("token=xyzz0WbapA4v&team_id=T1DC2JH3J&channel_name=ops", "token=[REDACTED]&team_id=T1DC2JH3J&channel_name=ops"),
        KeptName("AIRFLOW__CORE__FERNET_KEY=abc", "AIRFLOW__CORE__FERNET_KEY=[REDACTED]"),
        KeptName("mysql -uroot -pHunter2Hunter2", "mysql -uroot -p[REDACTED]"),
        KeptName("mysqldump -p'Hunter2Hunter2' ml", "mysqldump -p'[REDACTED]' ml"),
        KeptName("redis-cli -h cache -p 6379 -a Hunter2Hunter2 ping", "redis-cli -h cache -p 6379 -a [REDACTED] ping"),
        KeptName("curl -u admin:Hunter2Hunter2 https://x", "curl -u admin:[REDACTED] https://x"),
        KeptName("docker login -u bob -p Hunter2Hunter2", "docker login -u bob -p [REDACTED]"),
        KeptName("sshpass -p Hunter2Hunter2 ssh -p 2222 host", "sshpass -p [REDACTED] ssh -p 2222 host"),
        KeptName("htpasswd -b file user Hunter2Hunter2", "htpasswd -b file user [REDACTED]"),
        KeptName("password: |\n  line one\n  line two\nhost: db", "password: |\n  [REDACTED]\nhost: db"),
        KeptName("ALTER ROLE app WITH PASSWORD 'Hunter2Hunter2'", "ALTER ROLE app WITH PASSWORD '[REDACTED]'"),
        KeptName("SET PASSWORD FOR 'u'@'h' = 'X'", "SET PASSWORD FOR 'u'@'h' = '[REDACTED]'"),
        KeptName(#"<add key="Password" value="Hunter2Hunter2"/>"#, #"<add key="Password" value="[REDACTED]"/>"#),
        KeptName(#"<entry name="password">Hunter2Hunter2</entry>"#, #"<entry name="password">[REDACTED]</entry>"#),
    ]
}

@Suite("Secret corpus")
struct SecretCorpusTests {
    let redactor = SecretRedactor()

    @Test("Every leak is redacted", arguments: SecretCorpus.leaks)
    func leakIsRedacted(_ leak: SecretLeak) {
        let redacted = redactor.redact(leak.text)
        #expect(!redacted.contains(leak.secret), "\(redacted)")
        #expect(redacted.contains(SecretRedactor.placeholder), "\(redacted)")
    }

    @Test("Redacting twice changes nothing more", arguments: SecretCorpus.leaks)
    func redactionIsStable(_ leak: SecretLeak) {
        let once = redactor.redact(leak.text)
        #expect(redactor.redact(once) == once)
    }

    @Test("Look-alikes come out unchanged", arguments: SecretCorpus.innocents)
    func innocentSurvives(_ innocent: LookAlike) {
        #expect(redactor.redact(innocent.text) == innocent.text)
    }

    @Test("The name and separator stay, only the value goes", arguments: SecretCorpus.exact)
    func nameSurvives(_ exact: KeptName) {
        #expect(redactor.redact(exact.text) == exact.expected)
    }

    @Test func aFactNamedLikeASecretHasItsValueHidden() {
        let outcome = Outcome(
            status: .succeeded, headline: "done",
            facts: [Fact("db_password", "123456"), Fact("token_count", "512"), Fact("fernet_key", "abc"), Fact("primary_key", "id")])
        let clean = redactor.redact(outcome)
        #expect(
            clean.facts == [
                Fact("db_password", SecretRedactor.placeholder), Fact("token_count", "512"),
                Fact("fernet_key", SecretRedactor.placeholder), Fact("primary_key", "id"),
            ])
    }
}
