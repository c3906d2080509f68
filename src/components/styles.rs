//! Tailwind classes shared by several pages, so one look is written once.

pub const PRIMARY_BUTTON: &str = "rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 focus:outline-none \
                                  focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60";

pub const TEXT_INPUT: &str = "block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 \
                              focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-rose-500";
