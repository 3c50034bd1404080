/* park-pointer.c: moves the X pointer to the bottom-right corner of the screen.
 *
 * bench/startup.sh runs it on its own Xvfb before any launch. Xvfb starts with
 * the pointer in the middle of the screen, which is inside both programs'
 * windows (they open at the top-left corner, without a window manager): the
 * widget that happens to be under it gets hovered, and a tooltip there opens a
 * second surface with its own renderer half a second after the first frame
 * (+6 MiB under GL), which has nothing to do with starting up. Parked in the
 * corner, outside both windows, the pointer hovers nothing in either.
 */

#include <X11/Xlib.h>
#include <stdio.h>

int
main (void)
{
  Display *display = XOpenDisplay (NULL);
  int screen;

  if (display == NULL)
    {
      fprintf (stderr, "park-pointer: cannot open the display\n");
      return 1;
    }

  screen = DefaultScreen (display);
  XWarpPointer (display, None, DefaultRootWindow (display), 0, 0, 0, 0,
                DisplayWidth (display, screen) - 1, DisplayHeight (display, screen) - 1);
  XCloseDisplay (display);
  return 0;
}
