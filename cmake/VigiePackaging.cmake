# Linux packages: vigie-agent and vigie-collector, each as .deb and .rpm, built by CPack from the
# install() rules (installers/CMakeLists.txt and the targets' own). `cpack -G "DEB;RPM"` in the
# build directory writes them; tests/packaging/ builds, inspects and installs them.

# cpack packages what is built (scripts/build.sh first) instead of running a build of every target,
# tests included, before each package: the packaging tests run after the build, several cpack
# calls each.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_PACKAGE_NAME vigie)
set(CPACK_PACKAGE_VENDOR "Vigie")
# The DSI that builds the packages names itself as their maintainer.
set(VIGIE_PACKAGE_MAINTAINER "Vigie <vigie@example.org>"
    CACHE STRING "Maintainer of the .deb and .rpm packages, \"Name <address>\"")
set(CPACK_PACKAGE_CONTACT "${VIGIE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL agent collector)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_RPM_COMPONENT_INSTALL ON)

# Debian wants the extended description's lines within 80 columns.
set(CPACK_COMPONENT_AGENT_DESCRIPTION
    "Vigie agent: Microsoft 365 cloud use on this workstation
 Detects which Microsoft 365 cloud services a workstation uses (Office licence
 model, signed-in accounts, OneDrive, Teams, mail clients on Exchange Online)
 and reports them to a Vigie collector, for the Cloud au centre doctrine. No
 URL, document name, e-mail address or user name leaves the workstation. Runs
 as a hardened systemd service.")
set(CPACK_COMPONENT_COLLECTOR_DESCRIPTION
    "Vigie collector: Microsoft 365 cloud compliance per ministry
 Receives the Vigie agents' reports over gRPC with TLS, keeps them in SQLite,
 judges each workstation against the Cloud au centre doctrine and its
 derogations, serves the dashboard and writes scheduled compliance reports.
 Runs as a hardened systemd service under its own user.")

# Maintainer scripts: one file of shell functions per package (installers/linux/scripts/) put
# into each format's dispatcher, so that .deb and .rpm do the same things.
set(vigie_scripts_dir "${PROJECT_SOURCE_DIR}/installers/linux/scripts")
set(vigie_scripts_out "${CMAKE_BINARY_DIR}/packaging")
string(TIMESTAMP VIGIE_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
function(vigie_maintainer_scripts component package)
  file(READ "${vigie_scripts_dir}/${component}.sh" VIGIE_FUNCTIONS)
  set(VIGIE_COMPONENT ${component})
  set(VIGIE_PACKAGE ${package})
  set(out "${vigie_scripts_out}/${package}")
  foreach(script deb-postinst deb-prerm deb-postrm rpm-post rpm-preun rpm-postun)
    configure_file("${vigie_scripts_dir}/${script}.in" "${out}/${script}" @ONLY
                   FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                                    GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
  foreach(script postinst prerm postrm)
    file(COPY_FILE "${out}/deb-${script}" "${out}/${script}")
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               "${vigie_scripts_dir}/${component}.sh")
  # Debian's changelog.gz, which a native package must ship (gzip -n: no time stamp inside).
  configure_file("${PROJECT_SOURCE_DIR}/installers/linux/changelog.in" "${out}/changelog" @ONLY)
  add_custom_command(OUTPUT "${out}/changelog.gz"
                     COMMAND gzip -9nc "${out}/changelog" > "${out}/changelog.gz"
                     DEPENDS "${out}/changelog")
  add_custom_target(vigie_${component}_changelog ALL DEPENDS "${out}/changelog.gz")
  install(FILES "${out}/changelog.gz" DESTINATION share/doc/${package} COMPONENT ${component})
  string(TOUPPER ${component} upper)
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_EXTRA
      "${out}/postinst;${out}/prerm;${out}/postrm;${out}/conffiles" PARENT_SCOPE)
  set(CPACK_RPM_${upper}_POST_INSTALL_SCRIPT_FILE "${out}/rpm-post" PARENT_SCOPE)
  set(CPACK_RPM_${upper}_PRE_UNINSTALL_SCRIPT_FILE "${out}/rpm-preun" PARENT_SCOPE)
  set(CPACK_RPM_${upper}_POST_UNINSTALL_SCRIPT_FILE "${out}/rpm-postun" PARENT_SCOPE)
  # dpkg keeps a conffile the administrator edited on upgrade; rpm's noreplace does the same.
  file(WRITE "${out}/conffiles" "/etc/vigie/${component}.toml\n")
  set(CPACK_RPM_${upper}_USER_FILELIST "%config(noreplace) /etc/vigie/${component}.toml"
      PARENT_SCOPE)
endfunction()
# The copyright file of both packages (Debian's machine-readable format) carries the licence's
# full text from LICENSE: each line indented by one space, empty lines as " .".
file(READ "${PROJECT_SOURCE_DIR}/LICENSE" VIGIE_LICENSE_TEXT)
string(STRIP "${VIGIE_LICENSE_TEXT}" VIGIE_LICENSE_TEXT)
string(REPLACE "\n" "\n " VIGIE_LICENSE_TEXT " ${VIGIE_LICENSE_TEXT}")
string(REGEX REPLACE "\n [ \t]*\n" "\n .\n" VIGIE_LICENSE_TEXT "${VIGIE_LICENSE_TEXT}")
string(REGEX REPLACE "\n [ \t]*\n" "\n .\n" VIGIE_LICENSE_TEXT "${VIGIE_LICENSE_TEXT}")
configure_file("${PROJECT_SOURCE_DIR}/installers/linux/copyright.in"
               "${vigie_scripts_out}/copyright" @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/LICENSE")
vigie_maintainer_scripts(agent vigie-agent)
vigie_maintainer_scripts(collector vigie-collector)

# .deb
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_AGENT_PACKAGE_NAME vigie-agent)
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_NAME vigie-collector)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies from the binaries themselves (dpkg-shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# useradd and groupadd in postinst.
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# .rpm
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_AGENT_PACKAGE_NAME vigie-agent)
set(CPACK_RPM_COLLECTOR_PACKAGE_NAME vigie-collector)
set(CPACK_RPM_AGENT_PACKAGE_SUMMARY "Vigie agent: Microsoft 365 cloud use on this workstation")
set(CPACK_RPM_COLLECTOR_PACKAGE_SUMMARY
    "Vigie collector: Microsoft 365 cloud compliance per ministry")
set(CPACK_RPM_PACKAGE_LICENSE "EUPL-1.2")
set(CPACK_RPM_PACKAGE_GROUP "Applications/System")
# Library dependencies from the binaries themselves (rpm's find-requires).
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_COLLECTOR_PACKAGE_REQUIRES_POST "shadow-utils")
# Directories other packages own (filesystem, systemd) are not claimed.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /lib /lib/systemd /lib/systemd/system /usr/share/lintian
    /usr/share/lintian/overrides)
# No /usr/lib/.build-id links: they would clash between the two packages' stripped binaries.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")

include(CPack)
