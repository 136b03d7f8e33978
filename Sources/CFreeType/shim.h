#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

/* FT_LOAD_* flags are macros Swift does not import. */
static const FT_Int32 seqgen_ft_load_render = FT_LOAD_RENDER;
static const FT_Int32 seqgen_ft_load_default = FT_LOAD_DEFAULT;
