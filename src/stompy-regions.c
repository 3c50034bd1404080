/* stompy-regions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "stompy-regions.h"

/* Stompy's own region first: most customers put their bucket and stacks there. */
static const struct {
  const char *code;
  const char *name;
} regions[] = {
  { "ap-southeast-1", N_("Asia Pacific (Singapore)") },
  { "ap-east-1",      N_("Asia Pacific (Hong Kong)") },
  { "ap-northeast-1", N_("Asia Pacific (Tokyo)") },
  { "ap-northeast-2", N_("Asia Pacific (Seoul)") },
  { "ap-south-1",     N_("Asia Pacific (Mumbai)") },
  { "ap-southeast-2", N_("Asia Pacific (Sydney)") },
  { "us-east-1",      N_("US East (N. Virginia)") },
  { "us-east-2",      N_("US East (Ohio)") },
  { "us-west-1",      N_("US West (N. California)") },
  { "us-west-2",      N_("US West (Oregon)") },
  { "ca-central-1",   N_("Canada (Central)") },
  { "eu-west-1",      N_("Europe (Ireland)") },
  { "eu-west-2",      N_("Europe (London)") },
  { "eu-central-1",   N_("Europe (Frankfurt)") },
  { "eu-north-1",     N_("Europe (Stockholm)") },
  { "sa-east-1",      N_("South America (São Paulo)") },
};

guint
stompy_regions_get_n_items (void)
{
  return G_N_ELEMENTS (regions);
}

const char *
stompy_regions_get_code (guint position)
{
  return position < G_N_ELEMENTS (regions) ? regions[position].code : NULL;
}

const char *
stompy_regions_get_name (guint position)
{
  return position < G_N_ELEMENTS (regions) ? _(regions[position].name) : NULL;
}

int
stompy_regions_find (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    if (g_strcmp0 (regions[i].code, code) == 0)
      return (int) i;

  return -1;
}

GtkStringList *
stompy_regions_new_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      /* Translators: a region's name and its code, "Asia Pacific (Singapore) — ap-southeast-1". */
      g_autofree char *item = g_strdup_printf (_("%s — %s"), _(regions[i].name), regions[i].code);

      gtk_string_list_append (list, item);
    }

  return list;
}
