"""The functors PostgreSQL lacks, as SQL functions with Soufflé's semantics (power, shifts …).

The SQLite and DuckDB engines register Python functions
(:mod:`deniable.rules.functors`); a PostgreSQL server cannot call back into this
process, so the same functions are created in the derivation's own schema, one per
typed variant the compiler calls (:data:`~deniable.rules.dialects.SIGNATURES`:
``deniable_pow_ii``, ``deniable_to_string_f`` …).  NULL in, NULL out, as there.

Known differences from the Python versions, all at the edges: ``match`` uses
PostgreSQL's regular expressions (POSIX ARE, very close to ECMAScript for the usual
classes, groups and look-aheads); ``to_string`` of a float prints PostgreSQL's
shortest round-trip form, positional only up to 15 digits where Soufflé keeps 17.
"""

from __future__ import annotations

# Each entry is one CREATE FUNCTION.  2^64 and 2^63 appear as numerics: wrap-around
# is done exactly.
FUNCTION_DDL: tuple[str, ...] = (
    """CREATE FUNCTION deniable_wrap64(x numeric) RETURNS bigint LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $f$
    SELECT (mod(mod(x + 9223372036854775808, 18446744073709551616)
                + 18446744073709551616, 18446744073709551616) - 9223372036854775808)::bigint
    $f$""",
    """CREATE FUNCTION deniable_pow_ii(b bigint, e bigint) RETURNS bigint LANGUAGE plpgsql
    IMMUTABLE PARALLEL SAFE AS $f$
    DECLARE r numeric := 1; x numeric; n bigint := e; m numeric := 18446744073709551616;
    BEGIN
        IF b IS NULL OR e IS NULL THEN RETURN NULL; END IF;
        IF e < 0 THEN
            RETURN CASE WHEN abs(b) <> 1 THEN 0 WHEN b = 1 OR e % 2 = 0 THEN 1 ELSE -1 END;
        END IF;
        x := mod(b::numeric + m, m);
        WHILE n > 0 LOOP
            IF n % 2 = 1 THEN r := mod(r * x, m); END IF;
            x := mod(x * x, m);
            n := n / 2;
        END LOOP;
        RETURN deniable_wrap64(r);
    END $f$""",
    """CREATE FUNCTION deniable_pow_ff(b double precision, e double precision)
    RETURNS double precision LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$
    BEGIN
        RETURN power(b, e);
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END $f$""",
    """CREATE FUNCTION deniable_bxor_ii(a bigint, b bigint) RETURNS bigint LANGUAGE sql
    IMMUTABLE PARALLEL SAFE AS $f$ SELECT a # b $f$""",
    """CREATE FUNCTION deniable_bshru_ii(a bigint, b bigint) RETURNS bigint LANGUAGE sql
    IMMUTABLE PARALLEL SAFE AS $f$
    SELECT CASE WHEN b < 0 THEN NULL WHEN b >= 64 THEN 0 WHEN b = 0 THEN a
                ELSE (a >> b::integer) & ~((-1)::bigint << (64 - b::integer)) END
    $f$""",
    """CREATE FUNCTION deniable_bshl_ii(a bigint, b bigint) RETURNS bigint LANGUAGE sql
    IMMUTABLE PARALLEL SAFE AS $f$
    SELECT CASE WHEN b < 0 THEN NULL WHEN b >= 64 THEN 0 ELSE a << b::integer END
    $f$""",
    """CREATE FUNCTION deniable_substr_sii(s text, st bigint, n bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
    SELECT CASE WHEN st < 0 OR st > length(s) THEN ''
                WHEN n < 0 THEN substr(s, (st + 1)::integer)
                ELSE substr(s, (st + 1)::integer, least(n, 2147483647)::integer) END
    $f$""",
    """CREATE FUNCTION deniable_ord_s(s text) RETURNS bigint LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $f$ SELECT CASE WHEN s = '' THEN NULL ELSE ascii(s)::bigint END $f$""",
    """CREATE FUNCTION deniable_match_ss(p text, s text) RETURNS bigint LANGUAGE plpgsql
    IMMUTABLE PARALLEL SAFE AS $f$
    BEGIN
        IF p IS NULL OR s IS NULL THEN RETURN 0; END IF;
        -- Python and POSIX syntax ECMAScript does not have: Soufflé's pattern is invalid.
        IF p ~ '\\(\\?[^:=!]' OR p ~ '\\\\[AZzGN]' THEN RETURN NULL; END IF;
        RETURN CASE WHEN s ~ ('^(?:' || p || ')$') THEN 1 ELSE 0 END;
    EXCEPTION WHEN invalid_regular_expression THEN
        RETURN NULL;
    END $f$""",
    """CREATE FUNCTION deniable_to_string_s(v text) RETURNS text LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $f$ SELECT v $f$""",
    """CREATE FUNCTION deniable_to_string_i(v bigint) RETURNS text LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $f$ SELECT v::text $f$""",
    """CREATE FUNCTION deniable_to_string_f(v double precision) RETURNS text LANGUAGE sql
    IMMUTABLE PARALLEL SAFE AS $f$
    SELECT CASE WHEN v = 'NaN' THEN 'nan' WHEN v = 'Infinity' THEN 'inf'
                WHEN v = '-Infinity' THEN '-inf' ELSE v::text END
    $f$""",
    """CREATE FUNCTION deniable_to_number_s(v text) RETURNS bigint LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $f$
    SELECT CASE WHEN v ~ '^\\s*[+-]?[0-9]+\\s*$'
                THEN deniable_wrap64(btrim(v, E' \\t\\n\\r\\f\\v')::numeric) END
    $f$""",
    """CREATE FUNCTION deniable_to_number_i(v bigint) RETURNS bigint LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $f$ SELECT v $f$""",
    """CREATE FUNCTION deniable_to_number_f(v double precision) RETURNS bigint LANGUAGE sql
    IMMUTABLE PARALLEL SAFE AS $f$ SELECT trunc(v)::bigint $f$""",
    """CREATE FUNCTION deniable_to_float_s(v text) RETURNS double precision LANGUAGE plpgsql
    IMMUTABLE PARALLEL SAFE AS $f$
    BEGIN
        RETURN v::double precision;
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END $f$""",
    """CREATE FUNCTION deniable_to_float_i(v bigint) RETURNS double precision LANGUAGE sql
    IMMUTABLE PARALLEL SAFE AS $f$ SELECT v::double precision $f$""",
    """CREATE FUNCTION deniable_to_float_f(v double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT v $f$""",
)
