import Foundation
import HTTPTypes
import Hummingbird

/// The login form for browsers (`GET /login`, `POST /login`, `POST /logout`).
///
/// `POST /login` takes the form field `token`; a valid token opens a session in
/// ``SessionStore`` and sets the `sluice_session` cookie — `HttpOnly` (no script reads it),
/// `SameSite=Strict` (no other site's page sends it), `Path=/`, and `Secure` when a TLS reverse
/// proxy says so with `X-Forwarded-Proto: https` — then redirects to the dashboard (303). A wrong
/// token answers 401 with the form again, after a short pause. Scripts skip all this and send
/// `Authorization: Bearer TOKEN`.
enum LoginPage {
    /// Registers the three routes.
    static func register(on router: Router<DashboardRequestContext>, access: AccessControl) {
        router.get("/login") { _, context in
            if context.caller?.role != nil { return redirect(to: "/") }
            return response(status: .ok, message: nil)
        }
        router.post("/login") { request, context in
            guard access.requiresToken else { return redirect(to: "/") }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: context.maxUploadSize)
            } catch {
                throw DashboardError(
                    code: .tooLarge, message: "the login form is larger than \(context.maxUploadSize) bytes")
            }
            let form = FormQuery(formBody: String(buffer: body))
            guard let presented = form["token"], let token = access.tokens?.match(presented) else {
                try? await Task.sleep(for: .milliseconds(250))  // slows guessing; tokens are long anyway
                return response(status: .unauthorized, message: "That token is not valid.")
            }
            let id = access.sessions.open(for: token)
            var response = redirect(to: "/")
            response.setCookie(
                sessionCookie(id, maxAge: Int(access.sessions.lifetime.components.seconds), request: request))
            return response
        }
        router.post("/logout") { request, _ in
            if let id = request.cookies[SessionStore.cookieName]?.value { access.sessions.close(id) }
            var response = redirect(to: "/login")
            response.setCookie(sessionCookie("", maxAge: 0, request: request))
            return response
        }
    }

    /// The form, with an optional message (e.g. a wrong token).
    static func response(status: HTTPResponse.Status, message: String?) -> Response {
        text(page(message: message), type: "text/html", status: status)
    }

    /// The login page's HTML: one password field, no script.
    static func page(message: String?) -> String {
        let note = message.map { "<p class=\"error\" role=\"alert\">\(ChartFormat.escape($0))</p>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sluice — log in</title><link rel="icon" href="data:,">
            <style>\(css)</style></head>
            <body><main class="login">
            <h1>Sluice</h1>
            <p>This dashboard needs an access token. Ask whoever runs it for one.</p>
            \(note)
            <form method="post" action="/login">
            <label for="token">Access token</label>
            <input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
            <button type="submit">Log in</button>
            </form>
            <p class="hint">Scripts send <code>Authorization: Bearer TOKEN</code> instead.</p>
            </main></body></html>

            """
    }

    private static let css = """
        body{margin:0;background:#f4f5f7;color:#1f2937;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        .login{max-width:380px;margin:12vh auto;background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:24px}
        h1{margin:0 0 8px;font-size:22px} label{display:block;font-weight:600;margin:12px 0 4px}
        input{width:100%;box-sizing:border-box;padding:8px;border:1px solid #d0d5dd;border-radius:6px;font:inherit}
        button{margin-top:12px;background:#0072B2;color:#fff;border:0;border-radius:6px;padding:8px 16px;font:inherit;cursor:pointer}
        .error{color:#b42318;background:#fef3f2;border-radius:6px;padding:8px 10px} .hint{color:#6b7280;font-size:13px}
        """

    /// The session cookie (`maxAge: 0` deletes it).
    static func sessionCookie(_ value: String, maxAge: Int, request: Request) -> Cookie {
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        return Cookie(
            name: SessionStore.cookieName, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true,
            sameSite: .strict)
    }

    /// A 303 See Other to `location`.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
