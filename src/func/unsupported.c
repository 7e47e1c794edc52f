/*
 * unsupported.c -- the Kusto functions aiq leaves out, by family, each
 * family with its reason (see unsupported.h). The names are those of
 * Kusto's reference (tests/corpus/kusto_builtins.tsv), so an invented name
 * stays an unknown function.
 */
#include "func/unsupported.h"

#include <stddef.h>
#include <string.h>

typedef struct LeftOut {
    const char *reason;
    const char *const *names; /* NULL-terminated */
} LeftOut;

static const char *const geospatial[] = {
    "geo_angle", "geo_azimuth", "geo_closest_point_on_line",
    "geo_closest_point_on_polygon", "geo_distance_2points", "geo_distance_point_to_line",
    "geo_distance_point_to_polygon", "geo_from_wkt", "geo_geohash_neighbors",
    "geo_geohash_to_central_point", "geo_geohash_to_polygon", "geo_h3cell_children",
    "geo_h3cell_level", "geo_h3cell_neighbors", "geo_h3cell_parent", "geo_h3cell_rings",
    "geo_h3cell_to_central_point", "geo_h3cell_to_polygon", "geo_intersection_2lines",
    "geo_intersection_2polygons", "geo_intersection_line_with_polygon",
    "geo_intersects_2lines", "geo_intersects_2polygons",
    "geo_intersects_line_with_polygon", "geo_line_buffer", "geo_line_centroid",
    "geo_line_densify", "geo_line_interpolate_point", "geo_line_length",
    "geo_line_locate_point", "geo_line_simplify", "geo_line_to_s2cells",
    "geo_point_buffer", "geo_point_in_circle", "geo_point_in_polygon",
    "geo_point_to_geohash", "geo_point_to_h3cell", "geo_point_to_s2cell",
    "geo_polygon_area", "geo_polygon_buffer", "geo_polygon_centroid",
    "geo_polygon_densify", "geo_polygon_perimeter", "geo_polygon_simplify",
    "geo_polygon_to_h3cells", "geo_polygon_to_s2cells", "geo_s2cell_neighbors",
    "geo_s2cell_to_central_point", "geo_s2cell_to_polygon", "geo_simplify_polygons_array",
    "geo_union_lines_array", "geo_union_polygons_array",
    NULL,
};
static const char *const ip_locations[] = {"geo_info_from_ip_address", NULL};
static const char *const xml[] = {"parse_xml", NULL};
static const char *const decimals[] = {"parse_version", NULL};
static const char *const hash_combining[] = {"hash_combine", "hash_many", NULL};
static const char *const cluster[] = {
    "current_cluster_endpoint", "current_database", "current_principal",
    "current_principal_details", "current_principal_is_member_of", NULL,
};
static const char *const storage[] = {
    "cursor_after", "cursor_before_or_at", "cursor_current", "current_cursor",
    "extent_id", "extentid", "extent_tags", NULL,
};
static const char *const request_properties[] = {"bin_auto", NULL};
static const char *const tabular_argument[] = {"column_names_of", NULL};
static const char *const not_yet[] = {
    "convert_angle", "convert_energy", "convert_force", "convert_length", "convert_mass",
    "convert_speed", "convert_temperature", "convert_volume", "assert", NULL,
};

static const LeftOut left_out[] = {
    {"the geospatial functions need Kusto's S2, H3 and geodesic libraries, which aiq does not carry", geospatial},
    {"it needs a database of IP address locations, which aiq does not ship", ip_locations},
    {"aiq links no XML parser (it reads JSON lines); extract() or parse take values out of XML text", xml},
    {"it returns Kusto's decimal type, which aiq does not have", decimals},
    {"Kusto does not document how it combines hashes, so aiq's values could not match Kusto's", hash_combining},
    {"it describes a Kusto cluster or its signed-in user, and aiq reads local files", cluster},
    {"it refers to how Kusto stores ingested data (cursors, extents), which a log file does not have", storage},
    {"its bin size comes from the query_bin_auto_size property a Kusto client sets, which aiq has no way to set", request_properties},
    {"it takes a table where a value is expected; T | getschema lists the names", tabular_argument},
    {"not yet: it is on the list of functions to add", not_yet},
};

const char *aiq_func_unsupported_reason(const char *name)
{
    for (size_t f = 0; f < sizeof left_out / sizeof left_out[0]; f++)
        for (const char *const *x = left_out[f].names; *x; x++)
            if (strcmp(*x, name) == 0)
                return left_out[f].reason;
    return NULL;
}
