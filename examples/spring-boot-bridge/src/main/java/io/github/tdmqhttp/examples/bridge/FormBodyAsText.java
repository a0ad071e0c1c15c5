package io.github.tdmqhttp.examples.bridge;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets {@code POST /messages} take any text body, as it came. {@code curl --data-binary 'hello'} labels its body
 * {@code application/x-www-form-urlencoded} unless told otherwise, and Camel's HTTP binding parses such a body as form
 * fields: {@code hello} failed with a 500 and a stack trace, {@code a=b} became a map. The bridge sends the body
 * itself, so this filter presents a form-encoded POST as {@code text/plain} (UTF-8 unless the request names a
 * charset) before Camel reads it.
 */
class FormBodyAsText extends OncePerRequestFilter {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String contentType = request.getContentType();
        return !"POST".equals(request.getMethod())
               || contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String charset = request.getCharacterEncoding() != null ? request.getCharacterEncoding() : "UTF-8";
        String text = "text/plain; charset=" + charset;
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getContentType() {
                return text;
            }

            @Override
            public String getCharacterEncoding() {
                return charset;
            }

            @Override
            public String getHeader(String name) {
                return "Content-Type".equalsIgnoreCase(name) ? text : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return "Content-Type".equalsIgnoreCase(name)
                        ? Collections.enumeration(List.of(text)) : super.getHeaders(name);
            }
        }, response);
    }
}
